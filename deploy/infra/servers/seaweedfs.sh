# shellcheck shell=bash disable=SC2034  # sourced by infra.sh, which reads the *_PORTS arrays
# SeaweedFS `weed mini` (master + volume + filer + S3 in one process): the S3-compatible object
# store for documents and insurance files. Built from the Go module proxy: SeaweedFS tags are not
# semver, so a pseudo-version pins it, and its go.mod has replace lines, which only a throwaway
# main module can honour (go install refuses). The build is large (~several minutes on 2 cores).

SEAWEEDFS_MODULE=github.com/seaweedfs/seaweedfs
SEAWEEDFS_VERSION=v0.0.0-20261109003541-7506e5f91cd6
SEAWEEDFS_S3_PORT=8333
# Everything weed mini listens on (master 9333/19333, volume 9340/19340, filer 8888/18888,
# S3 8333/18333, admin/maintenance 12535/22535; gRPC = HTTP port + 10000). Iceberg (8181),
# Lance (9101), WebDAV, the admin UI and the legacy admin ports (23646/33646, the latter in
# the ephemeral range) are switched off. The admin server itself cannot be: it runs vacuum.
SEAWEEDFS_PORTS=(8333 18333 9333 19333 9340 19340 8888 18888 12535 22535)

seaweedfs_bin() { echo "$TOOLS_DIR/seaweedfs/bin/weed"; }

seaweedfs_fetch() {
  if have_version seaweedfs "$SEAWEEDFS_VERSION" && [[ -x "$(seaweedfs_bin)" ]]; then
    info "seaweedfs $SEAWEEDFS_VERSION: already built"
    return 0
  fi
  info "seaweedfs $SEAWEEDFS_VERSION: building weed (large; several minutes on 2 cores)"
  go_build_pinned seaweedfs "$SEAWEEDFS_MODULE" "$SEAWEEDFS_VERSION" "$SEAWEEDFS_MODULE/weed" "$(seaweedfs_bin)" || return 1
  mark_version seaweedfs "$SEAWEEDFS_VERSION"
  rm -rf "$TOOLS_DIR/seaweedfs-build"
  info "seaweedfs: built $(seaweedfs_bin | sed "s|^$REPO_ROOT/||")"
}

seaweedfs_start() {
  mkdir -p "$DATA_DIR/seaweedfs"
  # weed mini creates an admin S3 identity from the AWS_* variables; signatures are checked.
  AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
    start_detached seaweedfs "$(seaweedfs_bin)" mini \
    -dir="$DATA_DIR/seaweedfs" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.port="$SEAWEEDFS_S3_PORT" -s3.port.iceberg=0 -s3.port.lance=0 \
    -master.telemetry=false -webdav=false -admin.ui=false -admin.port.legacy=0
}

seaweedfs_ready() { http_ok "http://127.0.0.1:$SEAWEEDFS_S3_PORT/healthz"; }
seaweedfs_timeout() { echo 120; }
seaweedfs_where() { echo "s3 127.0.0.1:$SEAWEEDFS_S3_PORT"; }
