#!/usr/bin/env bash
# Runs the ExecStart line of the installed piao.service the way systemd would
# (as its User, with its EnvironmentFile) and checks that piao serve answers
# on the address and port of /etc/piao/piao.conf, asks for the password and
# keeps its data in /var/lib/piao. For machines without systemd (containers,
# CI); where systemd runs, `systemctl status piao` says the same.
set -euo pipefail

unit=/lib/systemd/system/piao.service
[ -f "$unit" ] || unit=/usr/lib/systemd/system/piao.service
[ -f "$unit" ] || { echo "ERRORE: piao.service non è installato (scripts/deb.sh)" >&2; exit 1; }

if ! /usr/bin/piao serve --help >/dev/null 2>&1; then
  echo "ERRORE: questo piao non ha il comando serve" >&2
  exit 1
fi

value() { sed -n "s/^$1=//p" "$unit" | tail -n1; }
user=$(value User)
envfile=$(value EnvironmentFile)
execstart=$(value ExecStart)
set -a
# shellcheck disable=SC1090
. "$envfile"
set +a
# systemd replaces ${NAME} with the variable's value, as one word.
line=$(eval "printf '%s' \"$execstart\"")
echo "utente $user: $line"
read -r -a argv <<<"$line"

log=$(mktemp)
runuser -u "$user" -- "${argv[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

host=$PIAO_INDIRIZZO
[ "$host" = 0.0.0.0 ] && host=127.0.0.1
# With PIAO_CERTIFICATO and PIAO_CHIAVE the service speaks HTTPS: curl then
# trusts that certificate (it must name $host).
scheme=http
tls=()
if [ -n "${PIAO_CERTIFICATO:-}" ]; then
  scheme=https
  tls=(--cacert "$PIAO_CERTIFICATO")
fi
curl() { command curl "${tls[@]}" "$@"; }
url="$scheme://$host:$PIAO_PORTA/"
for _ in $(seq 1 60); do
  kill -0 "$pid" 2>/dev/null || { echo "ERRORE: piao serve è terminato:"; cat "$log"; exit 1; }
  curl -s -o /dev/null "$url" && break
  sleep 0.5
done
# Answered by this run, not by another program on the same port.
sleep 0.5
kill -0 "$pid" 2>/dev/null || { echo "ERRORE: piao serve è terminato:"; cat "$log"; exit 1; }

fail=0
check() { if eval "$2"; then echo "ok    $1"; else echo "NO    $1"; fail=1; fi; }
jar=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log" "$jar"' EXIT
code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
page=$(curl -sL -c "$jar" -b "$jar" "$url")
check "piao serve risponde su $url (HTTP $code)" '[ "$code" -ge 200 ] && [ "$code" -lt 500 ]'
check "la pagina è di piao, in italiano" 'grep -q "lang=\"it\"" <<<"$page" && grep -qi piao <<<"$page"'
check "senza parola d'accesso chiede di entrare" 'grep -q "type=\"password\"" <<<"$page"'
# The login form (piao serve's /accesso, with its CSRF token).
login() { # password -> HTTP code of the login
  local csrf
  csrf=$(curl -s -c "$jar" -b "$jar" "${url}accesso" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" \
    --data-urlencode "password=$1" "${url}accesso"
}
wrong=$(login "non-la-parola-giusta")
check "una parola sbagliata non entra (HTTP $wrong)" '[ "$wrong" != 303 ] && [ "$(curl -s -o /dev/null -w "%{http_code}" -b "$jar" "$url")" = 303 ]'
right=$(login "$(head -n1 "$(dirname "$envfile")/password")")
home=$(curl -s -b "$jar" "$url")
check "la parola di /etc/piao/password entra (HTTP $right)" '[ "$right" = 303 ] && grep -q "modello.xlsx" <<<"$home"'
check "il processo è dell'utente $user" '[ "$(ps -o user= -p "$(pgrep -P "$pid" piao || echo "$pid")" | tr -d " ")" = "$user" ]'
check "ascolta su $PIAO_INDIRIZZO:$PIAO_PORTA" 'ss -ltn | grep -q "$PIAO_INDIRIZZO:$PIAO_PORTA"'
if [ "$scheme" = https ]; then
  check "in HTTPS ogni cookie è Secure" '! curl -s -D - -o /dev/null "$url" | grep -i "^set-cookie:" | grep -vq "; Secure"'
  check "una richiesta in chiaro non riceve pagine" '! command curl -s -m 10 -o /dev/null "http://$host:$PIAO_PORTA/"'
fi
if [ "$fail" -ne 0 ]; then
  echo "--- piao serve:"; cat "$log"
  echo "ERRORE: il servizio non risponde come dovrebbe" >&2
  exit 1
fi
echo "fatto: piao serve risponde con le impostazioni del servizio"
