#!/usr/bin/env bash
# MongoDB health for docker-compose.yml, and the replica set's initiation: initiates the one-member
# set rs0 if it is not yet (idempotent: an initiated set is left alone), makes sure
# scheduler.scheduled_jobs keeps post-images (the connector publishes updates as post-images), then
# reports healthy only while this member is the writable primary. Fails while the image's first-start initialisation
# runs (no replica set, no users yet), which the start period covers.
set -euo pipefail
mongosh --quiet --norc "mongodb://127.0.0.1:27017/admin?directConnection=true" \
  --username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" \
  --authenticationDatabase admin --eval '
    const host = process.env.MONGO_REPLICA_SET_HOST || "mongo:27017";
    try {
      rs.status();
    } catch (e) {
      if (e.codeName !== "NotYetInitialized") throw e;
      rs.initiate({ _id: "rs0", members: [{ _id: 0, host: host }] });
      print("initiated replica set rs0 with member " + host);
    }
    if (!db.hello().isWritablePrimary) quit(1);
    const scheduler = db.getSiblingDB("scheduler");
    const jobs = scheduler.getCollectionInfos({ name: "scheduled_jobs" })[0];
    if (!jobs) {
      scheduler.createCollection("scheduled_jobs", { changeStreamPreAndPostImages: { enabled: true } });
    } else if (!(jobs.options.changeStreamPreAndPostImages || {}).enabled) {
      scheduler.runCommand({ collMod: "scheduled_jobs", changeStreamPreAndPostImages: { enabled: true } });
    }
  '
