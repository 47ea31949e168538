# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# Apache Kafka, KRaft single node (broker + controller in one JVM), from Maven Central jars:
# Apache publishes no server distribution there, but the broker is just kafka_2.13 + kafka-tools
# on a classpath (deploy/infra/kafka/pom.xml). Runs on the default Java 17.

KAFKA_VERSION=4.1.2   # keep in step with deploy/infra/kafka/pom.xml
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_PORTS=("$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT")
KAFKA_HEAP=${KAFKA_HEAP:-"-Xms128m -Xmx512m"}

kafka_home() { echo "$TOOLS_DIR/kafka"; }
kafka_config() { echo "$RUN_DIR/kafka-server.properties"; }

# Run a Kafka tool class on the broker's classpath, quietly (tools log through the same log4j).
kafka_tool() {
  local cls=$1; shift
  "$(kafka_java)" -Xmx256m -cp "$(kafka_home)/lib/*" \
    -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2-tools.properties" "$cls" "$@"
}

kafka_fetch() {
  # The version marker also records the pom's checksum, so editing the pom refetches.
  local want
  want="$KAFKA_VERSION $(cksum <"$INFRA_DIR/kafka/pom.xml" | cut -d' ' -f1)"
  if have_version kafka "$want" && compgen -G "$(kafka_home)/lib/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then
    info "kafka $KAFKA_VERSION: already fetched"
    return 0
  fi
  need_cmd mvn java || return 1
  info "kafka $KAFKA_VERSION: fetching jars with Maven (org.apache.kafka:kafka_2.13, kafka-tools, log4j)"
  # Download beside the current jars and swap at the end: a running broker keeps working and a
  # failed download leaves the old set in place.
  rm -rf "${TOOLS_DIR:?}/kafka/lib.new" && mkdir -p "$(kafka_home)"
  fetch_step "Kafka $KAFKA_VERSION jars (deploy/infra/kafka/pom.xml)" \
    mvn -B -q -f "$INFRA_DIR/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$(kafka_home)/lib.new" || return 1
  rm -rf "${TOOLS_DIR:?}/kafka/lib" && mv "$(kafka_home)/lib.new" "$(kafka_home)/lib"
  # mvn leaves a target/ folder beside the pom; it is not ours to keep in the source tree.
  rm -rf "$INFRA_DIR/kafka/target"
  mark_version kafka "$want"
  info "kafka: $(find "$(kafka_home)/lib" -name '*.jar' | wc -l) jars in .local/tools/kafka/lib"
}

kafka_start() {
  local data="$DATA_DIR/kafka" cfg
  cfg=$(kafka_config)
  mkdir -p "$data" "$RUN_DIR"
  sed "s|@DATA_DIR@|$data|g" "$INFRA_DIR/kafka/server.properties" >"$cfg"
  # Format the storage once; the cluster id is kept beside the data so restarts reuse it and
  # topics survive `down`/`up`.
  if [[ ! -f "$data/kraft-logs/meta.properties" ]]; then
    [[ -s "$data/cluster.id" ]] || kafka_tool kafka.tools.StorageTool random-uuid >"$data/cluster.id" 2>>"$(log_file kafka)"
    info "kafka: formatting storage (cluster id $(cat "$data/cluster.id"))"
    kafka_tool kafka.tools.StorageTool format --standalone -t "$(cat "$data/cluster.id")" -c "$cfg" \
      >>"$(log_file kafka)" 2>&1 || { fail "kafka: storage format failed"; show_log_tail kafka; return 1; }
  fi
  # shellcheck disable=SC2086
  start_detached kafka "$(kafka_java)" $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$INFRA_DIR/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$LOGS_DIR" \
    -cp "$(kafka_home)/lib/*" kafka.Kafka "$cfg"
}

# Ready = the broker answers on its client port and has logged that it started (the port opens
# a little before the broker can serve metadata).
kafka_ready() {
  port_open "$KAFKA_PORT" || return 1
  # Only this start's section of the log counts (the log is appended across restarts).
  awk '/^===== kafka start /{ok = 0} /Kafka Server started/{ok = 1} END{exit !ok}' "$(log_file kafka)" 2>/dev/null
}
kafka_timeout() { echo 90; }
kafka_where() { echo "127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"; }

# Create the topics of deploy/kafka/topics.txt that do not exist yet, and raise the partition
# count of any that has fewer than listed: with auto-creation on, a client that connects before
# this runs (a service starting alongside) creates a topic with 1 partition. One JVM to describe
# all topics, one more per change; none on a plain restart.
kafka_after_start() {
  local list desc name opts kv have want changes=0
  list="$REPO_ROOT/deploy/kafka/topics.txt"
  [[ -f "$list" ]] || { warn "kafka: deploy/kafka/topics.txt not found; no topics created"; return 0; }
  desc=$(kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" \
    --describe --exclude-internal 2>/dev/null) || { fail "kafka: could not describe topics"; return 1; }
  while read -r name opts; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    want=1
    local args=()
    for kv in $opts; do
      case "$kv" in
        partitions=*) want=${kv#partitions=} ;;
        replication=*) ;; # one broker here: always 1
        *=*) args+=(--config "$kv") ;;
      esac
    done
    have=$(awk -v t="$name" '$1 == "Topic:" && $2 == t { for (i = 3; i < NF; i++) if ($i == "PartitionCount:") print $(i + 1) }' <<<"$desc")
    if [[ -z "$have" ]]; then
      info "kafka: creating topic $name (partitions $want${args[*]:+, ${args[*]}})"
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --create \
        --if-not-exists --topic "$name" --partitions "$want" --replication-factor 1 "${args[@]}" >/dev/null </dev/null \
        || { fail "kafka: could not create topic $name"; return 1; }
      changes=$((changes + 1))
    elif (( have < want )); then
      warn "kafka: topic $name has $have partition(s) (auto-created by a client?); raising to $want"
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --alter \
        --topic "$name" --partitions "$want" >/dev/null </dev/null \
        || { fail "kafka: could not add partitions to $name"; return 1; }
      changes=$((changes + 1))
    fi
  done <"$list"
  (( changes == 0 )) && info "kafka: all topics of deploy/kafka/topics.txt exist"
  return 0
}
