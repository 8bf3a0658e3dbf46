#!/bin/sh
# Remove what install.sh installed, as listed in its manifest. Captures and settings (the data
# and config folders) stay.
#
#   uninstall.sh                       run from the installed folder (LIB/hookscope/uninstall.sh)
#   ./uninstall.sh [--user|--system|--prefix DIR]   from the unpacked tarball
set -eu
quiet=""
manifest=""
here="$(cd "$(dirname "$0")" && pwd)"
[ -f "$here/install-manifest.txt" ] && manifest="$here/install-manifest.txt"
while [ $# -gt 0 ]; do
  case "$1" in
    --from) manifest="$2"; shift ;;
    --quiet) quiet=1 ;;
    --user) manifest="$HOME/.local/lib/hookscope/install-manifest.txt" ;;
    --system) manifest=/usr/local/lib/hookscope/install-manifest.txt ;;
    --prefix) case "$2" in /*) p="$2" ;; *) p="$(pwd)/$2" ;; esac
              manifest="$p/lib/hookscope/install-manifest.txt"; shift ;;
    --prefix=*) p="${1#--prefix=}"; case "$p" in /*) ;; *) p="$(pwd)/$p" ;; esac
                manifest="$p/lib/hookscope/install-manifest.txt" ;;
    -h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$manifest" ]; then
  manifest="$HOME/.local/lib/hookscope/install-manifest.txt"
fi
if [ ! -f "$manifest" ]; then
  echo "uninstall.sh: no hookscope installation found ($manifest is missing)" >&2
  exit 2
fi
dest="$(dirname "$manifest")"
# Files and links first, then the app folder (the manifest's last line); never anything else.
while IFS= read -r path; do
  [ -n "$path" ] || continue
  if [ "$path" = "$dest" ]; then
    continue
  fi
  rm -f "$path"
done < "$manifest"
rm -rf "$dest"
[ -n "$quiet" ] || echo "removed hookscope from $dest (captures and settings are kept)"
