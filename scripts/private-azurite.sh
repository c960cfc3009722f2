# Sourced by scripts/soak.sh and scripts/bench.sh: starts an Azurite of the run's own (in memory, on three ports from
# $1), stops it when the script exits, and points the run at it through SUMMIT_TEST_STORAGE.
start_private_azurite() {
  local base=$1 log="$root/.tools/azurite-$2.log"
  "$root/scripts/azurite.sh" install
  setsid "$root/.tools/azurite/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose --inMemoryPersistence \
    --blobHost 127.0.0.1 --blobPort "$base" --queueHost 127.0.0.1 --queuePort $((base + 1)) --tableHost 127.0.0.1 --tablePort $((base + 2)) \
    >"$log" 2>&1 < /dev/null &
  private_azurite=$!
  trap 'kill "$private_azurite" 2>/dev/null || true; sleep 1; kill -9 "$private_azurite" 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/127.0.0.1/$((base + 2))") 2>/dev/null && break; sleep 0.5; done
  export SUMMIT_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$base/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$((base + 1))/devstoreaccount1;TableEndpoint=http://127.0.0.1:$((base + 2))/devstoreaccount1;"
}
