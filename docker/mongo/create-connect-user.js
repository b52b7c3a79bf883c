// Runs once, when the mongo container starts on an empty data volume (docker-entrypoint-initdb.d):
// the user the Kafka Connect MongoDB source connector logs in as. Reading is all it needs: `read` on
// the scheduler database covers copy_existing (find/aggregate) and change streams.
const user = process.env.MONGO_CONNECT_USERNAME || 'cronstream-connect';
const password = process.env.MONGO_CONNECT_PASSWORD;
if (!password) {
  throw new Error('MONGO_CONNECT_PASSWORD is not set');
}
db.getSiblingDB('admin').createUser({
  user: user,
  pwd: password,
  roles: [{ role: 'read', db: 'scheduler' }],
});
print('created user ' + user + ' (read on scheduler)');
