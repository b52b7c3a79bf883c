// Runs once, when the mongo container starts on an empty data volume (docker-entrypoint-initdb.d):
// the user Cronstream's write routes log in as (cronstream.mongo.uri). They insert, replace and delete job
// documents in scheduler.scheduled_jobs and append to its change trail, scheduler.scheduled_jobs_changes
// (creating its index): `readWrite` on the scheduler database and nothing elsewhere, so a leaked API
// credential cannot reach other databases or manage users.
const user = process.env.MONGO_WRITER_USERNAME || 'cronstream-writer';
const password = process.env.MONGO_WRITER_PASSWORD;
if (!password) {
  throw new Error('MONGO_WRITER_PASSWORD is not set');
}
db.getSiblingDB('admin').createUser({
  user: user,
  pwd: password,
  roles: [{ role: 'readWrite', db: 'scheduler' }],
});
print('created user ' + user + ' (readWrite on scheduler)');
