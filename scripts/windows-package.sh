#!/usr/bin/env bash
# make package-windows: dist/Signet-windows-amd64.zip, holding Signet.exe
# (GUI subsystem, the app icon, a version resource from FyneApp.toml) and a
# short README.txt. Built on Linux with the mingw-w64 cross compiler (cgo:
# Fyne's GLFW driver) by the fyne tool, the same way `make package` builds
# the Linux package. The exe is also left at bin/Signet.exe for the Wine
# smoke test (scripts/windows-smoke.sh), which must test what ships.
#
# Every build of the Windows binary in this repository goes through here, so
# there is one set of Windows build flags and Go's build cache compiles Fyne's
# cgo driver once (about 6 CPU-minutes) and then never again.
#
# The fyne tool rewrites FyneApp.toml's Build number; the file is put back as
# it was, so packaging leaves the tree clean. BUILD=n stamps that build number.
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_TOOL_VERSION=v1.7.4
CC=${CC_WINDOWS:-x86_64-w64-mingw32-gcc}
command -v "$CC" >/dev/null || { echo "windows-package: $CC is missing (Debian: apt-get install gcc-mingw-w64-x86-64, or run scripts/deps.sh windows)" >&2; exit 1; }
FYNE=$(command -v fyne || true)
[ -n "$FYNE" ] || FYNE="$(go env GOPATH)/bin/fyne"
if [ ! -x "$FYNE" ]; then
  echo "installing the fyne tool $FYNE_TOOL_VERSION…"
  GOFLAGS= go install "fyne.io/tools/cmd/fyne@$FYNE_TOOL_VERSION"
fi

SAVED=$(mktemp)
STAGE=$(mktemp -d)
cp FyneApp.toml "$SAVED"
cleanup() { cp "$SAVED" FyneApp.toml; rm -rf "$SAVED" "$STAGE"; }
trap cleanup EXIT

version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
args=(package -os windows --release)
[ -z "${BUILD:-}" ] || args+=(--app-build "$BUILD")
echo "fyne ${args[*]}  (CC=$CC; the first build compiles Fyne's cgo driver: minutes)"
rm -f Signet.exe
start=$SECONDS
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$CC" "$FYNE" "${args[@]}"
echo "built Signet.exe in $((SECONDS - start)) s"
mkdir -p bin dist
mv -f Signet.exe bin/Signet.exe

# What ships must be a GUI program (no console window) with its icon and
# version resource.
# (Whole outputs in variables: grep -q closing a pipe early would fail it.)
OBJDUMP=${CC%gcc}objdump
headers=$("$OBJDUMP" -p bin/Signet.exe)
grep -q 'Subsystem.*(Windows GUI)' <<<"$headers" ||
  { echo "windows-package: Signet.exe is not a GUI-subsystem program" >&2; exit 1; }
# Top-level resource types: 0x0e an icon group, 0x10 a version.
for t in 0e:icon 10:version; do
  grep -Eq "^[0-9a-f]{3}   Entry: ID: 0x0000${t%%:*}," <<<"$headers" ||
    { echo "windows-package: Signet.exe has no ${t#*:} resource" >&2; exit 1; }
done
texts=$(strings -el bin/Signet.exe)
grep -qx "$version\(\.[0-9]*\)*" <<<"$texts" ||
  { echo "windows-package: Signet.exe's version resource lacks $version" >&2; exit 1; }

cp bin/Signet.exe "$STAGE/Signet.exe"
sed 's/$/\r/' >"$STAGE/README.txt" <<TXT
Signet $version for Windows (64-bit)

Signet signs you in to your account and shows your protected lists.

Install: unzip this folder anywhere (for example into your Documents) and
double-click Signet.exe. Nothing else is needed; no installer, no admin rights.

What Signet stores on this computer:
- Your session (sign-in tokens) in Windows Credential Manager, under
  "Windows Credentials", entries named io.signet.app:... . Your password is
  never stored.
- Settings (server, remembered username, window size) in
  %APPDATA%\\fyne\\io.signet.app\\ .
- Only if you chose "Keep me signed in..." while Credential Manager could not
  be used: secrets.json next to the settings, readable by you alone (Signet
  does not write it where it cannot be made private).

To remove Signet: sign out (this deletes the Credential Manager entries), quit,
then delete this folder and %APPDATA%\\fyne\\io.signet.app. Entries left by a
copy that could not sign out can be removed in Control Panel > Credential
Manager > Windows Credentials.
TXT
rm -f dist/Signet-windows-amd64.zip
(cd "$STAGE" && zip -q -X -9 "$OLDPWD/dist/Signet-windows-amd64.zip" Signet.exe README.txt)
unzip -l dist/Signet-windows-amd64.zip
echo "dist/Signet-windows-amd64.zip ($(du -h dist/Signet-windows-amd64.zip | cut -f1))"
