#!/usr/bin/env bash
# Cross-builds piao.exe for 64-bit Windows on Debian, packs
# dist/piao-<versione>-windows.zip (exe, Leggimi.txt, the example workbooks,
# the blank template) and checks the zip's exe under wine against the Linux
# build: PDFs and results.json byte-identical, xlsx identical part by part,
# a workbook dropped on the exe (a bare path) built into «documenti piao»,
# and `piao.exe serve` answering over HTTPS with a test certificate.
#
#   scripts/windows.sh               shipping profile (dist), as released
#   PIAO_PROFILO=release scripts/windows.sh
#                                    release profile: same documents, faster
#                                    build (what CI runs)
#
# Needs rustup (the Windows standard library comes from static.rust-lang.org)
# and installs Debian's mingw-w64 linker, wine, zip and unzip when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

profile=${PIAO_PROFILO:-dist}
target=x86_64-pc-windows-gnu
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
name=piao-$version-windows

say() { printf '\n== %s\n' "$*"; }

need=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  say "installo ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"

say "compilo piao per Linux e per Windows (profilo $profile)"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
cargo build --locked --profile "$profile" --bin piao
cargo build --locked --profile "$profile" --target "$target" --bin piao
linux=$target_dir/$profile/piao
exe=$target_dir/$target/$profile/piao.exe

say "preparo dist/$name.zip"
stage=$(mktemp -d)
scratch=$(mktemp -d)
trap 'if [ -n "${WINEPREFIX:-}" ]; then wineserver -k 2>/dev/null || true; fi; rm -rf "$stage" "$scratch"' EXIT
mkdir -p "$stage/$name/esempi"
cp "$exe" "$stage/$name/piao.exe"
# Notepad on older Windows wants CRLF.
sed 's/$/\r/' packaging/windows/Leggimi.txt >"$stage/$name/Leggimi.txt"
cp inputs/*.xlsx "$stage/$name/esempi/"
"$linux" template "$stage/$name/modello-vuoto.xlsx" >/dev/null
# Same sources, same zip: fixed times, names in order, no extra attributes.
stamp=$(git log -1 --format=%cd --date=format:%Y%m%d%H%M.%S 2>/dev/null || echo 202601010000)
find "$stage/$name" -exec touch -h -t "$stamp" {} +
mkdir -p dist
rm -f "dist/$name.zip"
(cd "$stage" && find "$name" -type f | LC_ALL=C sort | zip -X -q -9 "$root/dist/$name.zip" -@)
if unzip -Z1 "dist/$name.zip" | grep -qi 'bcryptprimitives'; then
  echo "ERRORE: la DLL di prova per wine è finita nello zip" >&2
  exit 1
fi
ls -l "dist/$name.zip"

say "provo piao.exe dello zip sotto wine"
# The exe runs from the unpacked zip, beside the ProcessPrng shim that wine
# 8.0 lacks (scripts/wine/processprng.c; real Windows has the DLL).
unzip -q "dist/$name.zip" -d "$scratch"
run=$scratch/$name
x86_64-w64-mingw32-gcc -shared -O2 -o "$run/bcryptprimitives.dll" scripts/wine/processprng.c -ladvapi32
export WINEPREFIX=$scratch/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
wineboot -i >/dev/null 2>&1 || true
# Wine hides every file whose name starts with a dot, Windows does not: shown
# as Windows shows them, so that the check of `.piao.lock` below means it.
wine reg add 'HKCU\Software\Wine' /v ShowDotFiles /d Y /f >/dev/null 2>&1

fail=0
same_files() { # $1 Linux folder, $2 Windows folder
  local a=$1 b=$2
  local left right rel f
  # Not a document: on Windows the output folder is locked through a
  # `.piao.lock` file inside it (src/render/output.rs), on Linux the folder
  # itself is locked.
  left=$(cd "$a" && find . -type f ! -name .piao.lock | LC_ALL=C sort)
  right=$(cd "$b" && find . -type f ! -name .piao.lock | LC_ALL=C sort)
  if [ "$left" != "$right" ]; then
    echo "DIVERSI: file prodotti ($a, $b)"; diff <(echo "$left") <(echo "$right") || true; fail=1; return
  fi
  while IFS= read -r rel; do
    f=${rel#./}
    case "$f" in
      *.xlsx) same_parts "$a/$f" "$b/$f" ;;
      *) if cmp -s "$a/$f" "$b/$f"; then echo "uguale      $f"; else echo "DIVERSO     $f"; fail=1; fi ;;
    esac
  done <<<"$left"
}
same_parts() { # xlsx: same entries in the same order, each with the same bytes
  local x=$1 y=$2 entry pattern
  if [ "$(unzip -Z1 "$x")" != "$(unzip -Z1 "$y")" ]; then echo "DIVERSO     $x: elenco delle parti"; fail=1; return; fi
  while IFS= read -r entry; do
    # unzip reads a name as a pattern: `[Content_Types].xml` needs escaping.
    pattern=$(printf '%s' "$entry" | sed 's/[][*?\\]/\\&/g')
    [ -n "$(unzip -p "$x" "$pattern" | head -c1)" ] || { echo "VUOTA       $x: parte $entry"; fail=1; return; }
    if ! cmp -s <(unzip -p "$x" "$pattern") <(unzip -p "$y" "$pattern"); then
      echo "DIVERSO     $x: parte $entry"; fail=1; return
    fi
  done < <(unzip -Z1 "$x")
  echo "uguale      $(basename "$x") ($(unzip -Z1 "$x" | wc -l) parti)"
}

# Workbooks named from inside their folder: the cruscotto's Anomalie sheet
# names the file as given, and Windows would write `esempi\x.xlsx`.
cd "$run/esempi"
"$linux" build --out ../linux ./*.xlsx >/dev/null 2>&1
t0=$(date +%s%N)
timeout 600 wine ../piao.exe build --out ../windows ./*.xlsx </dev/null >"$scratch/wine-build.log" 2>&1 || {
  echo "piao.exe build è fallito sotto wine:"; cat "$scratch/wine-build.log"; exit 1; }
cd "$run"
echo "piao.exe build esempi: $((($(date +%s%N) - t0) / 1000000)) ms sotto wine"
same_files linux windows
# The lock of the output folder is hidden from Explorer (its dot does not
# hide it on Windows); a dot file made here is the contrast.
touch windows/.contrasto
attributes=$(wine cmd /c attrib 'windows\*' 2>/dev/null | tr -d '\r')
if grep -Eq '^[A-Z ]*H[A-Z ]* .*\\\.piao\.lock$' <<<"$attributes" && ! grep -Eq '^[A-Z ]*H[A-Z ]* .*\\\.contrasto$' <<<"$attributes"; then
  echo "uguale      .piao.lock nascosto in Esplora risorse"
else
  echo "VISIBILE    .piao.lock in Esplora risorse:"; echo "$attributes"; fail=1
fi
rm windows/.contrasto

say "trascino un esempio su piao.exe (un solo argomento: il percorso)"
dropped=esempi/arezzo-siena-relazione-2019.xlsx
mkdir reference && "$linux" build --out reference "$dropped" >/dev/null
timeout 600 wine ./piao.exe 'esempi\arezzo-siena-relazione-2019.xlsx' </dev/null >"$scratch/drop.log" 2>&1 || {
  echo "il trascinamento è fallito sotto wine:"; cat "$scratch/drop.log"; exit 1; }
cat "$scratch/drop.log"
grep -q 'documenti nella cartella .*documenti piao' "$scratch/drop.log" || { echo "manca il messaggio della cartella"; fail=1; }
if grep -qF '\\?\' "$scratch/drop.log"; then echo "un percorso mostra \\\\?\\"; fail=1; fi
# The drop opens the folder in Explorer: wine's explorer, with no desktop
# here, stays running with the folder as its argument.
sleep 1
if pgrep -af 'explorer.*documenti piao' >/dev/null; then
  echo "uguale      la cartella «documenti piao» è stata aperta in Esplora risorse"
else
  echo "NON APERTA  la cartella «documenti piao»"; fail=1
fi
same_files reference "esempi/documenti piao"

say "trascino un file che non è una cartella di lavoro"
printf 'non sono un file Excel' >esempi/rotto.xlsx
set +e
timeout 600 wine ./piao.exe 'esempi\rotto.xlsx' </dev/null >"$scratch/bad.log" 2>&1
code=$?
set -e
cat "$scratch/bad.log"
if [ "$code" -ne 1 ]; then echo "codice di uscita $code invece di 1"; fail=1; fi
grep -q 'rotto.xlsx' "$scratch/bad.log" || { echo "il messaggio non nomina il file"; fail=1; }

say "piao.exe serve in HTTPS, con un certificato di prova"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$scratch/prova.key" -out "$scratch/prova.crt" 2>/dev/null
cp "$scratch/prova.key" "$scratch/prova.crt" .
timeout 300 wine ./piao.exe serve --porta 0 --dati dati-https --certificato prova.crt --chiave prova.key \
  </dev/null >"$scratch/serve.log" 2>&1 &
url=
for _ in $(seq 1 120); do
  url=$(grep -o 'https://[0-9.]*:[0-9]*/' "$scratch/serve.log" | head -n1 || true)
  [ -n "$url" ] && break
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "piao.exe serve non è partito:"; cat "$scratch/serve.log"; fail=1
else
  code=$(curl --cacert prova.crt -s -o /dev/null -w '%{http_code}' "$url" || true)
  if [ "$code" = 200 ] && curl --cacert prova.crt -s "$url" | grep -q 'lang="it"'; then
    echo "uguale      la pagina risponde in HTTPS su $url"
  else
    echo "NO          la pagina in HTTPS (HTTP $code)"; cat "$scratch/serve.log"; fail=1
  fi
  if curl -s -m 10 -o /dev/null "http://${url#https://}"; then
    echo "NO          una richiesta in chiaro ha ricevuto una pagina"; fail=1
  fi
fi
wineserver -k 2>/dev/null || true

cd "$root"
if [ "$fail" -ne 0 ]; then
  echo "ERRORE: piao.exe sotto wine non produce gli stessi documenti di Linux" >&2
  exit 1
fi
say "fatto: dist/$name.zip; sotto wine gli stessi documenti di Linux"
