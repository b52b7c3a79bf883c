#!/usr/bin/env bash
# One-shot (docker-compose.yml service kafka-init, apache/kafka image): creates Cronstream's topics
# with their partition counts and configs, and leaves existing ones alone apart from enforcing the
# compaction of cronstream.jobs and cronstream.job-graph and the record limit of cronstream.jobs. Safe to run again.
#   BOOTSTRAP_SERVERS         default kafka:9092
#   TOPIC_PARTITIONS          partitions of every Cronstream topic (default 6). cronstream.jobs and
#                             cronstream.commands must have the same count (the ticker reads both
#                             into the same tasks); keeping all topics equal is simplest.
#   TOPIC_REPLICATION_FACTOR  default 1 (one broker); 3 on a real cluster, with min.insync.replicas=2
set -euo pipefail

bootstrap="${BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${TOPIC_PARTITIONS:-6}"
replication="${TOPIC_REPLICATION_FACTOR:-1}"
bin=/opt/kafka/bin
day=86400000
# the largest record the connector sends (its producer.override.max.request.size in mongo-scheduled-jobs.json)
jobs_record_bytes=2097152

# name | configs (comma-separated key=value)
topics=(
  "cronstream.jobs|cleanup.policy=compact,max.message.bytes=$jobs_record_bytes"
  "cronstream.commands|retention.ms=$((7 * day))"
  "cronstream.job-due|retention.ms=$((7 * day))"
  "cronstream.stage-progress|retention.ms=$((7 * day))"
  "cronstream.file-changes|retention.ms=$((7 * day))"
  "cronstream.run-status|retention.ms=$((7 * day))"
  "cronstream.stuck-runs|retention.ms=$((7 * day))"
  "cronstream.dlq|retention.ms=$((30 * day))"
  "cronstream.alerts|retention.ms=$((7 * day))"
  "cronstream.run-control|retention.ms=$((7 * day))"
  "cronstream.job-graph|cleanup.policy=compact"
)

extra=""
if [ "$replication" -ge 3 ]; then
  extra=",min.insync.replicas=2"
fi

existing="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --list)"
for entry in "${topics[@]}"; do
  name="${entry%%|*}"
  configs="${entry#*|}$extra"
  if grep -qxF "$name" <<<"$existing"; then
    echo "kafka-init: $name exists"
    continue
  fi
  args=()
  IFS=',' read -ra pairs <<<"$configs"
  for pair in "${pairs[@]}"; do
    args+=(--config "$pair")
  done
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$replication" "${args[@]}"
done

# Created by something else first (a broker with auto-creation, an older setup): the ticker needs
# the latest definition per job kept forever, so compaction is not optional; the job graph likewise keeps the
# latest edge between two jobs.
for compacted in cronstream.jobs cronstream.job-graph; do
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
    --entity-name "$compacted" --add-config cleanup.policy=compact
done
# A topic from before takes the connector's largest record too, or the connector's records over 1 MB are refused.
"$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --alter --entity-type topics \
  --entity-name cronstream.jobs --add-config "max.message.bytes=$jobs_record_bytes"

count() {
  "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --describe --topic "$1" \
    | sed -n 's/.*PartitionCount:[[:space:]]*\([0-9][0-9]*\).*/\1/p' | head -n 1
}
jobs_partitions="$(count cronstream.jobs)"
commands_partitions="$(count cronstream.commands)"
if [ "$jobs_partitions" != "$commands_partitions" ]; then
  echo "kafka-init: cronstream.jobs has $jobs_partitions partitions but cronstream.commands has $commands_partitions;" \
       "they must be equal (kafka-topics.sh --alter --partitions on the smaller one)" >&2
  exit 1
fi
echo "kafka-init: topics ready ($jobs_partitions partitions for jobs and commands)"
