#!/bin/sh
# One-shot (docker-compose.yml service connector-init, curl image): registers the MongoDB source
# connector from the committed REST payload (connectors/mongo-scheduled-jobs.json, mounted as
# CONNECTOR_FILE) once the worker has loaded the plugin, then waits until it runs. Safe to run again:
# an existing connector is left as it is, unless CONNECTOR_RECREATE=true, which deletes and creates it
# again to apply a changed file. Its source offsets (the change stream's resume token) live on in the
# worker's offsets topic, so the new one resumes where the old one stopped.
set -eu

CONNECT_URL="${CONNECT_URL:-http://connect:8083}"
CONNECTOR_FILE="${CONNECTOR_FILE:-/cronstream/mongo-scheduled-jobs.json}"
CONNECTOR_NAME="${CONNECTOR_NAME:-mongo-scheduled-jobs}"
CONNECTOR_RECREATE="${CONNECTOR_RECREATE:-false}"
RETRY_INTERVAL="${RETRY_INTERVAL:-2}"
PLUGIN=com.mongodb.kafka.connect.MongoSourceConnector
body="$(mktemp)"
trap 'rm -f "$body"' EXIT

log() { echo "connector-init: $*"; }

# http METHOD PATH [curl options]: prints the status code, the body goes to $body
http() {
  method="$1"; path="$2"; shift 2
  curl -sS -o "$body" -w '%{http_code}' -X "$method" "$@" "$CONNECT_URL$path" || echo 000
}

[ -r "$CONNECTOR_FILE" ] || { log "cannot read $CONNECTOR_FILE"; exit 1; }

tries=0
until [ "$(http GET /connector-plugins)" = 200 ] && grep -q "$PLUGIN" "$body"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    log "the worker at $CONNECT_URL does not offer $PLUGIN;"
    log "is connectors/target/plugins/mongo-kafka-connect/ there? (mvn -DskipTests package builds it)"
    exit 1
  fi
  sleep "$RETRY_INTERVAL"
done

phase=register
tries=0
while :; do
  status="$(http GET "/connectors/$CONNECTOR_NAME")"
  if [ "$status" = 200 ] && [ "$phase" = register ] && [ "$CONNECTOR_RECREATE" = true ]; then
    log "deleting $CONNECTOR_NAME to create it again from $CONNECTOR_FILE (its offsets are kept)"
    http DELETE "/connectors/$CONNECTOR_NAME" >/dev/null
    phase=deleted
  elif [ "$status" = 200 ] && [ "$phase" != deleted ]; then
    log "$CONNECTOR_NAME is registered already (CONNECTOR_RECREATE=true applies a changed config)"
    break
  elif [ "$status" = 404 ]; then
    status="$(http POST /connectors -H 'Content-Type: application/json' --data-binary "@$CONNECTOR_FILE")"
    if [ "$status" = 201 ]; then
      log "created $CONNECTOR_NAME from $CONNECTOR_FILE"
      break
    fi
    # 409 while the workers rebalance: try again
  fi
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    log "could not register $CONNECTOR_NAME (last answer $status):"
    cat "$body"; echo
    exit 1
  fi
  sleep "$RETRY_INTERVAL"
done

tries=0
while :; do
  if [ "$(http GET "/connectors/$CONNECTOR_NAME/status")" = 200 ]; then
    if grep -q '"state":"FAILED"' "$body"; then
      log "$CONNECTOR_NAME failed:"
      cat "$body"; echo
      exit 1
    fi
    if grep -q '"tasks":\[{' "$body" && ! grep -Eq '"state":"(UNASSIGNED|PAUSED|RESTARTING|STOPPED)"' "$body"; then
      log "$CONNECTOR_NAME is running"
      exit 0
    fi
  fi
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    log "$CONNECTOR_NAME is not running after 60 tries:"
    cat "$body"; echo
    exit 1
  fi
  sleep "$RETRY_INTERVAL"
done
