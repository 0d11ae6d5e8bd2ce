# Sourced by ops/run and ops/cli, after ops/lib/postgres.sh: the database and the built service.

# Uses ConnectionStrings__marten when given; otherwise starts the private cluster and its database
# ("rectify", or the name given).
rectify_connect() {
  local database="${1:-rectify}"
  mkdir -p "$RECTIFY_HOME"
  if [ -z "${ConnectionStrings__marten:-}" ]; then
    rectify_pg_start
    ConnectionStrings__marten="$(rectify_pg_database "$database")"
    export ConnectionStrings__marten
  else
    rectify_log "using the database given in ConnectionStrings__marten"
  fi
  export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}"
  export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-$DOTNET_ENVIRONMENT}"
}

RECTIFY_APP="$RECTIFY_HOME/app"

rectify_publish() {
  rectify_log "building the service (Release)"
  # ReadyToRun: the app's and its libraries' code is compiled ahead for this machine's runtime, so the service does
  # not JIT it at start (docs/performance.md: start to the first write). It still runs on the shared runtime.
  local rid
  case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64 | arm64) rid=linux-arm64 ;; *) rid="" ;; esac
  dotnet publish "$RECTIFY_ROOT/src/Rectify/Rectify.csproj" -c Release -o "$RECTIFY_APP" --nologo -v quiet \
    ${rid:+-r "$rid" --self-contained false -p:PublishReadyToRun=true} >"$RECTIFY_HOME/build.log" 2>&1 \
    || { tail -n 30 "$RECTIFY_HOME/build.log" >&2; rectify_die "build failed (log: $RECTIFY_HOME/build.log)"; }
}

# Runs a command of the service's command line (JasperFx): help, resources setup, add-client, ...
rectify_app() { (cd "$RECTIFY_APP" && dotnet Rectify.dll "$@"); }
