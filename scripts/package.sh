#!/usr/bin/env bash
# make package: a Linux desktop package, dist/Signet.tar.xz, made by the fyne
# tool from FyneApp.toml (name, ID, version, icon, categories, comment,
# keywords). It holds the binary, a .desktop entry, the icon and a Makefile:
#
#   tar -xf Signet.tar.xz && cd signet && sudo make install   # into /usr/local
#
# The fyne tool is installed globally when it is missing (adding it to go.mod
# would pull a newer Fyne into the app). It rewrites FyneApp.toml's Build
# number on every run; the file is put back as it was, so packaging leaves the
# tree clean. Set BUILD=n to stamp a build number into the package instead.
set -euo pipefail
cd "$(dirname "$0")/.."

FYNE_TOOL_VERSION=v1.7.4
FYNE=$(command -v fyne || true)
[ -n "$FYNE" ] || FYNE="$(go env GOPATH)/bin/fyne"
if [ ! -x "$FYNE" ]; then
  echo "installing the fyne tool $FYNE_TOOL_VERSION…"
  GOFLAGS= go install "fyne.io/tools/cmd/fyne@$FYNE_TOOL_VERSION"
fi

SAVED=$(mktemp)
cp FyneApp.toml "$SAVED"
restore() { cp "$SAVED" FyneApp.toml; rm -f "$SAVED"; }
trap restore EXIT

args=(package -os linux --release)
[ -z "${BUILD:-}" ] || args+=(--app-build "$BUILD")
echo "fyne ${args[*]}  (a release build: takes a minute)"
rm -f Signet.tar.xz
"$FYNE" "${args[@]}"

mkdir -p dist
mv -f Signet.tar.xz dist/Signet.tar.xz

# The package must hold what a desktop needs, and install. The tool puts
# everything under one folder, signet/.
contents=$(tar -tJf dist/Signet.tar.xz)
for want in 'usr/local/bin/signet' 'usr/local/share/applications/io\.signet\.app\.desktop' \
  'usr/local/share/pixmaps/io\.signet\.app\.png' 'Makefile'; do
  grep -Eq "^signet/$want\$" <<<"$contents" || { echo "package: dist/Signet.tar.xz lacks signet/$want" >&2; echo "$contents" >&2; exit 1; }
done
TRY=$(mktemp -d)
tar -xJf dist/Signet.tar.xz -C "$TRY"
make -s -C "$TRY/signet" install DESTDIR="$TRY/root" PREFIX=/usr/local >/dev/null
"$TRY/root/usr/local/bin/signet" --version >/dev/null || { echo "package: the installed binary does not run" >&2; exit 1; }
grep -q '^Exec=signet$' "$TRY/root/usr/local/share/applications/io.signet.app.desktop" || { echo "package: bad .desktop entry" >&2; exit 1; }
rm -rf "$TRY"

echo "dist/Signet.tar.xz ($(du -h dist/Signet.tar.xz | cut -f1)), installs with 'sudo make install':"
sed 's/^/  /' <<<"$contents"
