#!/usr/bin/env bash
# What the Docker runtime stage does, without Docker: install production dependencies only into a
# clean folder (refusing any package whose engines exclude this Node), check that NODE_ENV=production
# without SMN settings refuses to start (naming them) instead of falling back to the simulator, then
# start the built server with NODE_ENV=production and SMN_MODE=simulator, check /healthz and one mutation;
# then with TRUSTED_DOCUMENTS=require: the built manifest is loaded by default, a listed document runs by
# id and a full document is refused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pg_admin="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
history_db="smn_smoke_$$"
trap 'kill "${pid:-0}" "${hpid:-0}" "${tpid:-0}" 2>/dev/null || true; psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $history_db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cp "$root/package.json" "$root/package-lock.json" "$work/"
cp -r "$root/dist" "$work/dist"
mkdir -p "$work/playground" && cp -r "$root/playground/dist" "$work/playground/dist"
cp -r "$root/migrations" "$work/migrations"
(cd "$work" && npm ci --omit=dev --ignore-scripts --engine-strict --no-audit --no-fund >/dev/null)

# A secret that failed to mount: the start fails and names what is missing (never a silent simulator).
if (cd "$work" && NODE_ENV=production PORT=0 HOST=127.0.0.1 node dist/main.js >"$work/refused.log" 2>&1); then
  echo "NODE_ENV=production started without SMN settings"; cat "$work/refused.log"; exit 1
fi
for name in SMN_REGION SMN_PROJECT_ID HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK SMN_MODE=simulator; do
  grep -q "$name" "$work/refused.log" || { echo "the refusal does not name $name"; cat "$work/refused.log"; exit 1; }
done

port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
# `exec`: the background job is the server itself, so the EXIT trap stops it (not only a subshell).
(cd "$work" && NODE_ENV=production SMN_MODE=simulator PORT="$port" HOST=127.0.0.1 exec node dist/main.js >"$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
out=$(curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { publishPromotionSms(input: {endpoints: [\"+8613812345678\"], smsTemplateId: \"tpl\"}) { sentCount } }"}')
echo "$out"
[[ "$out" == '{"data":{"publishPromotionSms":{"sentCount":1}}}' ]] || { cat "$work/server.log"; exit 1; }
# The playground page and its bundle are served with production dependencies only.
curl -fsS "http://127.0.0.1:$port/graphql" -H 'accept: text/html' | grep -q 'playground-config'
curl -fsS -o /dev/null "http://127.0.0.1:$port/playground/playground.js"

# Trusted documents as the production example runs them: dist/trusted-documents.json by default.
tport=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
(cd "$work" && NODE_ENV=production SMN_MODE=simulator TRUSTED_DOCUMENTS=require PORT="$tport" HOST=127.0.0.1 \
  exec node dist/main.js >"$work/trusted.log" 2>&1) &
tpid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$tport/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
limits_id=$(cd "$work" && node -e "const m=require('./dist/trusted-documents.json');console.log(m.operations.find((o)=>o.name==='PromotionSmsLimits').id)")
by_id=$(curl -fsS "http://127.0.0.1:$tport/graphql" -H 'content-type: application/json' \
  -d "{\"documentId\":\"sha256:$limits_id\"}")
echo "$by_id"
[[ "$by_id" == '{"data":{"promotionSmsLimits":{'* ]] || { cat "$work/trusted.log"; exit 1; }
refused=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$tport/graphql" -H 'content-type: application/json' \
  -d '{"query":"{ promotionSmsLimits { maxEndpoints } }"}')
[[ "$refused" == 400 ]] || { echo "a full document under require answered $refused"; cat "$work/trusted.log"; exit 1; }
kill "$tpid"

# The history as the image ships it: migrations found beside dist/, run at start, a send in the history.
psql "$pg_admin" -qc "CREATE DATABASE $history_db" >/dev/null
hport=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
history_url="$(node -e "const u=new URL(process.argv[1]);u.pathname='/$history_db';console.log(u.href)" "$pg_admin")"
(cd "$work" && NODE_ENV=production SMN_MODE=simulator PORT="$hport" HOST=127.0.0.1 HISTORY_DATABASE_URL="$history_url" \
  HISTORY_ERASURE_KEY=smoke-test-erasure-key-0123456789abcdef exec node dist/main.js >"$work/history.log" 2>&1) &
hpid=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$hport/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$hport/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { publishPromotionSms(input: {endpoints: [\"+8613812345678\"], smsTemplateId: \"tpl\"}) { sentCount } }"}' >/dev/null
stats=""
from=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
for _ in $(seq 1 50); do
  stats=$(curl -fsS "http://127.0.0.1:$hport/graphql" -H 'content-type: application/json' \
    -d "{\"query\":\"{ smsStats(from: \\\"$from\\\", to: \\\"$to\\\", groupBy: TEMPLATE) { key sent } }\"}" || true)
  [[ "$stats" == '{"data":{"smsStats":[{"key":"tpl","sent":1}]}}' ]] && break
  sleep 0.2
done
echo "$stats"
[[ "$stats" == '{"data":{"smsStats":[{"key":"tpl","sent":1}]}}' ]] || { cat "$work/history.log"; exit 1; }
echo "production install smoke test: ok"
