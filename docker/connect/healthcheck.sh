#!/usr/bin/env bash
# Connect worker health for docker-compose.yml: GET /health (Kafka 3.9+) answers 200 once the worker
# has joined its group. The apache/kafka image has no curl, so this speaks HTTP over bash's /dev/tcp.
set -eu
exec 3<>/dev/tcp/127.0.0.1/8083
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3
case "$status" in
  *" 200 "*) exit 0 ;;
  *) echo "connect: $status"; exit 1 ;;
esac
