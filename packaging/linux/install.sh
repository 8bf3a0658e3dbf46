#!/bin/sh
# Install the frozen hookscope from this unpacked tarball into XDG locations.
#
#   ./install.sh                 for this user: ~/.local/bin, ~/.local/lib, $XDG_DATA_HOME
#   sudo ./install.sh --system   for everyone: /usr/local
#   ./install.sh --prefix DIR    DIR/bin, DIR/lib/hookscope, DIR/share
#
# Everything installed is listed in LIB/hookscope/install-manifest.txt; uninstall with
# LIB/hookscope/uninstall.sh (or ./uninstall.sh with the same options).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
app_id=io.github.hookscope.Hookscope

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }
prefix=""
mode=user
while [ $# -gt 0 ]; do
  case "$1" in
    --user) mode=user ;;
    --system) mode=system ;;
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
              prefix="$2"; mode=prefix; shift ;;
    --prefix=*) prefix="${1#--prefix=}"; mode=prefix ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$mode" in
  user) bin="$HOME/.local/bin"; lib="$HOME/.local/lib"; share="${XDG_DATA_HOME:-$HOME/.local/share}" ;;
  system) bin=/usr/local/bin; lib=/usr/local/lib; share=/usr/local/share ;;
  prefix) case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
          bin="$prefix/bin"; lib="$prefix/lib"; share="$prefix/share" ;;
esac

dest="$lib/hookscope"
manifest="$dest/install-manifest.txt"
[ -d "$dest" ] && [ -f "$manifest" ] && "$here/uninstall.sh" --from "$manifest" --quiet
mkdir -p "$dest" "$bin"
cp -R "$here/app/." "$dest/"
cp "$here/uninstall.sh" "$dest/uninstall.sh"
: > "$manifest"
note() { printf '%s\n' "$1" >> "$manifest"; }

put() {  # put SOURCE TARGET: copy one file and record it
  mkdir -p "$(dirname "$2")"
  cp "$1" "$2"
  note "$2"
}
for launcher in hookscope hookscope-gui; do
  ln -sf "$dest/$launcher" "$bin/$launcher"
  note "$bin/$launcher"
done
# The desktop entry names the launcher by its full path: ~/.local/bin is often not on the
# PATH a desktop session starts programs with.
mkdir -p "$share/applications"
sed -e "s|^Exec=.*|Exec=$dest/hookscope-gui|" -e "s|^TryExec=.*|TryExec=$dest/hookscope-gui|" \
  "$here/share/$app_id.desktop" > "$share/applications/$app_id.desktop"
note "$share/applications/$app_id.desktop"
put "$here/share/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
for icon in "$here"/share/icons/*/apps/*; do
  size="$(basename "$(dirname "$(dirname "$icon")")")"
  put "$icon" "$share/icons/hicolor/$size/apps/$(basename "$icon")"
done
put "$here/share/completion/hookscope.bash" "$share/bash-completion/completions/hookscope"
put "$here/share/completion/_hookscope" "$share/zsh/site-functions/_hookscope"
put "$here/share/completion/hookscope.fish" "$share/fish/vendor_completions.d/hookscope.fish"
put "$here/share/man/hookscope.1" "$share/man/man1/hookscope.1"
note "$dest"

# Icon themes with a cache pick the new icons up sooner once it is refreshed; optional. (No
# update-desktop-database: the entry declares no MIME types.)
command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ] &&
  gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true

echo "installed hookscope in $dest"
echo "launchers: $bin/hookscope, $bin/hookscope-gui; menu entry: $share/applications/$app_id.desktop"
case ":$PATH:" in *":$bin:"*) ;; *) echo "note: $bin is not on your PATH" ;; esac
echo "uninstall: $dest/uninstall.sh"
