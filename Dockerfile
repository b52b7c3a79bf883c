# Cronstream service image: one instance of the Kafka Streams application (ticker + progress) and
# its HTTP API (io.cronstream.app.CronstreamService), configured by CRONSTREAM_* variables.
#
# Build the jars first, from the repository root (see docs/docker-compose.md):
#   mvn -DskipTests package     -> app/target/cronstream-app-<version>.jar and app/target/lib/
# then `docker compose build` (or `docker build -t cronstream .`).
FROM eclipse-temurin:17-jre-noble

RUN groupadd --system --gid 10001 cronstream \
 && useradd --system --uid 10001 --gid cronstream --home-dir /var/lib/cronstream \
      --no-create-home --shell /usr/sbin/nologin cronstream \
 && mkdir -p /opt/cronstream/lib /var/lib/cronstream/streams \
 && chown -R cronstream:cronstream /var/lib/cronstream

# The runtime classpath (copied by the parent pom's service-lib profile), then the service jar.
COPY app/target/lib/ /opt/cronstream/lib/
COPY app/target/cronstream-app-*.jar /opt/cronstream/lib/
COPY docker/cronstream/logback.xml /opt/cronstream/logback.xml

ENV CRONSTREAM_STATE_DIR=/var/lib/cronstream/streams \
    CRONSTREAM_API_PORT=7070 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Kafka Streams' local state (RocksDB): rebuilt from its changelog topics when lost, kept across
# container re-creation when this volume is.
VOLUME ["/var/lib/cronstream"]
WORKDIR /var/lib/cronstream
USER 10001:10001
EXPOSE 7070

# /health answers 200 while the process lives; "live": false says Kafka Streams cannot recover by itself
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CRONSTREAM_API_PORT}/health" | grep -q '"live":true' || exit 1

CMD ["java", "-Dlogback.configurationFile=/opt/cronstream/logback.xml", \
     "-cp", "/opt/cronstream/lib/*", "io.cronstream.app.CronstreamService"]
