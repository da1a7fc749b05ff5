#!/usr/bin/env bash
# Builds the Debian package (cargo-deb, shipping profile), installs it on this
# machine with dpkg and checks what the installation made: the binary, the
# user piao, /var/lib/piao, the configuration and the password file readable
# only by root and piao. Then runs the service's ExecStart line as systemd
# would (scripts/prova-servizio.sh) and checks that piao serve answers, then
# again over HTTPS with a test certificate (PIAO_CERTIFICATO, PIAO_CHIAVE).
#
#   scripts/deb.sh                 build, install, check (needs root)
#   PIAO_PROFILO=release scripts/deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${PIAO_PROFILO:-dist}
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked

echo "== compilo il pacchetto (profilo $profile)"
deb=$(cargo deb --locked --profile "$profile" | tail -n1)
[ -f "$deb" ] || { echo "ERRORE: cargo deb non ha scritto il pacchetto" >&2; exit 1; }
ls -l "$deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
dpkg-deb --contents "$deb"

echo "== installo"
dpkg -i "$deb"

fail=0
check() { if eval "$2"; then echo "ok    $1"; else echo "NO    $1"; fail=1; fi; }
check "descrizione breve entro 80 caratteri" '[ "$(dpkg-deb -f "$deb" Description | head -n1 | wc -m)" -le 81 ]'
check "piao --version" '/usr/bin/piao --version | grep -q "^piao "'
check "l'utente piao esiste, senza shell" 'getent passwd piao | grep -q ":/var/lib/piao:/usr/sbin/nologin$"'
check "/var/lib/piao appartiene a piao" '[ "$(stat -c %U:%G:%a /var/lib/piao)" = piao:piao:750 ]'
check "/etc/piao/piao.conf è un conffile" 'dpkg-query -W -f="\${Conffiles}" piao | grep -q /etc/piao/piao.conf'
check "/etc/piao/password: root:piao 640" '[ "$(stat -c %U:%G:%a /etc/piao/password)" = root:piao:640 ]'
check "la parola d'accesso è lunga 36 caratteri" '[ "$(wc -c </etc/piao/password)" -eq 36 ]'
check "l'unità systemd è installata" '[ -f /lib/systemd/system/piao.service ] || [ -f /usr/lib/systemd/system/piao.service ]'
check "un utente qualunque non legge la password" '! runuser -u nobody -- cat /etc/piao/password >/dev/null 2>&1'
check "piao la legge" 'runuser -u piao -- cat /etc/piao/password >/dev/null'
before=$(cat /etc/piao/password)
dpkg -i "$deb" >/dev/null
check "reinstallare non cambia la parola d'accesso" '[ "$(cat /etc/piao/password)" = "$before" ]'
[ "$fail" -eq 0 ] || { echo "ERRORE: installazione incompleta" >&2; exit 1; }

echo "== eseguo la riga ExecStart del servizio"
scripts/prova-servizio.sh

echo "== di nuovo in HTTPS, con un certificato di prova in /etc/piao"
conf=$(mktemp)
cp -p /etc/piao/piao.conf "$conf"
restore() { cp -p "$conf" /etc/piao/piao.conf; rm -f "$conf" /etc/piao/piao.crt /etc/piao/piao.key; }
trap restore EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout /etc/piao/piao.key -out /etc/piao/piao.crt 2>/dev/null
chown root:piao /etc/piao/piao.key
chmod 640 /etc/piao/piao.key
printf 'PIAO_CERTIFICATO=/etc/piao/piao.crt\nPIAO_CHIAVE=/etc/piao/piao.key\n' >>/etc/piao/piao.conf
scripts/prova-servizio.sh
