#!/usr/bin/env bash
# The macOS disk image of Preflight, from the .app that packaging/preflight.spec builds.
#
#   pyinstaller packaging/preflight.spec --noconfirm --distpath dist --workpath build
#   packaging/macos/make_dmg.sh dist            # -> dist/Preflight-<version>-macos-<arch>.dmg
#
# The image holds Preflight.app and a link to /Applications to drag it onto. The .app is
# ad-hoc signed by PyInstaller; for users outside your own Macs, sign it with a Developer ID
# (PREFLIGHT_CODESIGN_IDENTITY when building) and notarize the .dmg (xcrun notarytool), else
# Gatekeeper refuses to open it.
set -euo pipefail
cd "$(dirname "$0")/../.."
dist=${1:-dist}
version=${2:-$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')}
app="$dist/Preflight.app"
if [ ! -d "$app" ]; then
  echo "make_dmg.sh: no $app; build it first with: pyinstaller packaging/preflight.spec" >&2
  exit 2
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/Preflight.app"   # ditto keeps symlinks, extended attributes and signatures
ln -s /Applications "$stage/Applications"
out="$dist/Preflight-$version-macos-$(uname -m).dmg"
rm -f "$out"
# hdiutil sometimes fails with "Resource busy" on CI machines: try again before giving up
for attempt in 1 2 3; do
  if hdiutil create -volname "Preflight $version" -srcfolder "$stage" -fs HFS+ \
       -format UDZO -ov "$out"; then
    hdiutil verify "$out"
    echo "$out"
    exit 0
  fi
  echo "hdiutil create failed (attempt $attempt); retrying" >&2
  sleep 5
done
exit 1
