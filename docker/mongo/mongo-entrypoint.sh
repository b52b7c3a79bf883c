#!/usr/bin/env bash
# MongoDB with authentication and a replica set (change streams need one) needs a key file, owned by
# the mongodb user and readable by it alone. This wrapper makes one on the first start, in the config
# volume, then hands over to the image's own entrypoint (which creates the root user from
# MONGO_INITDB_ROOT_* and runs /docker-entrypoint-initdb.d/ on an empty data volume).
set -euo pipefail
keyfile=/data/configdb/keyfile
if [ ! -s "$keyfile" ]; then
  # 512 random bytes as base64: 684 characters, within the 6-1024 a key file allows
  head -c 512 /dev/urandom | base64 -w 0 > "$keyfile"
fi
chown mongodb:mongodb "$keyfile"
chmod 400 "$keyfile"
exec docker-entrypoint.sh "$@"
