#!/usr/bin/env bash
# Build the frozen one-folder app from this checkout and pack it as a tarball.
#
#   packaging/build.sh                 build in a fresh virtualenv (build/freeze-venv), the clean way
#   PYTHON=python3 packaging/build.sh  use that interpreter as is (it must have hookscope's
#                                      dependencies and pyinstaller; CI does this to save minutes)
#
# Out: dist/hookscope/ (run dist/hookscope/hookscope) and dist/hookscope-VERSION-linux-ARCH.tar.gz
# with install.sh, the desktop entry, the metainfo and the icons. Prints size and build time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
start=$(date +%s)
dist="${HOOKSCOPE_DIST:-$root/dist}"
work="${HOOKSCOPE_WORK:-$root/build/pyinstaller}"

if [ -z "${PYTHON:-}" ]; then
  venv="$root/build/freeze-venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  PYTHON="$venv/bin/python"
  "$PYTHON" -m pip install -q --disable-pip-version-check "$root[freeze]"
fi
"$PYTHON" -m PyInstaller --version >/dev/null 2>&1 || {
  echo "build.sh: pyinstaller is missing from $PYTHON (pip install '.[freeze]')" >&2
  exit 2
}

rm -rf "$dist/hookscope"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$dist" --workpath "$work" packaging/pyinstaller/hookscope.spec

version="$("$dist/hookscope/hookscope" --version | awk '{print $2}')"
case "$(uname -s)" in
  Linux)
    # The tarball: the app folder plus what install.sh puts in XDG places.
    name="hookscope-$version-linux-$(uname -m)"
    stage="$work/stage/$name"
    rm -rf "$work/stage"
    mkdir -p "$stage/share"
    cp -a "$dist/hookscope" "$stage/app"
    cp packaging/linux/install.sh packaging/linux/uninstall.sh "$stage/"
    cp packaging/linux/io.github.hookscope.Hookscope.desktop \
       packaging/linux/io.github.hookscope.Hookscope.metainfo.xml "$stage/share/"
    cp -a packaging/icons/hicolor "$stage/share/icons"
    cp -a packaging/completion packaging/man "$stage/share/"
    cp LICENSE "$stage/"
    tar -C "$work/stage" -czf "$dist/$name.tar.gz" "$name"
    echo "tarball: $dist/$name.tar.gz ($(du -h "$dist/$name.tar.gz" | cut -f1))"
    ;;
esac
echo "app folder: $dist/hookscope ($(du -sh "$dist/hookscope" | cut -f1))"
echo "built in $(( $(date +%s) - start )) s"
