#!/usr/bin/env bash
# Runs the whole system on this machine with nothing but the .NET 10 SDK and Node.js 20:
#   - installs Azurite (pinned, from npm, into .tools/) if missing and starts it with its data in .azurite/;
#   - creates local.settings.json from local.settings.sample.json when absent, with fresh local keys (and a P-256 key
#     pair that signs the local delivery events), and adds to an existing one the settings it lacks;
#   - builds and starts the local host (src/Summit.LocalHost): the function app's own functions on
#     http://127.0.0.1:${PORT:-7071}, the timers on their schedules, reminders via a Storage Queue on Azurite,
#     emails as .eml files in .local/outbox/ (no SendGrid key needed);
#   - prints the URLs and the local keys; Ctrl+C stops the host and the Azurite this script started.
# Re-running is safe: settings and data are kept, a running Azurite is reused, a busy port is reported.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
port="${PORT:-7071}"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is needed: https://dot.net" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js 20 with npm is needed for Azurite: https://nodejs.org" >&2; exit 1; }

if [ ! -f local.settings.json ]; then
  cp local.settings.sample.json local.settings.json
  echo "Created local.settings.json from the sample (git-ignored)."
fi
# Fill in what the file lacks: fresh local keys, and settings an older copy does not have yet (taken from the sample).
node -e '
  const fs = require("fs"), crypto = require("crypto");
  const sample = JSON.parse(fs.readFileSync("local.settings.sample.json", "utf8"));
  const settings = JSON.parse(fs.readFileSync("local.settings.json", "utf8"));
  const values = settings.Values = settings.Values || {};
  const added = [];
  for (const [name, value] of Object.entries(sample.Values)) if (!(name in values)) { values[name] = value; added.push(name); }
  for (const name of ["LocalHost__FunctionKey", "LocalHost__MasterKey", "Links__SigningKey", "Automation__Keys__automation__Secret"])
    if (!values[name]) { values[name] = crypto.randomBytes(30).toString("base64url"); if (!added.includes(name)) added.push(name); }
  // A local Event Webhook key pair: the host signs the delivery events of the pickup folder with the private half, the
  // app verifies them with the public half as it verifies those of SendGrid. Not when a public key is set alone (the
  // key of SendGrid itself). (No apostrophes in this script: it is quoted for the shell.)
  if (!values.LocalHost__EventWebhookPrivateKey && !values.EventWebhook__PublicKey) {
    const pair = crypto.generateKeyPairSync("ec", { namedCurve: "P-256",
      publicKeyEncoding: { type: "spki", format: "der" }, privateKeyEncoding: { type: "pkcs8", format: "der" } });
    values.LocalHost__EventWebhookPrivateKey = pair.privateKey.toString("base64");
    values.EventWebhook__PublicKey = pair.publicKey.toString("base64");
    for (const name of ["LocalHost__EventWebhookPrivateKey", "EventWebhook__PublicKey"]) if (!added.includes(name)) added.push(name);
  }
  if (values.SendGrid__ApiKey === "replace-with-a-sendgrid-api-key") { values.SendGrid__ApiKey = ""; added.push("SendGrid__ApiKey (placeholder cleared)"); }
  if (added.length) {
    fs.writeFileSync("local.settings.json", JSON.stringify(settings, null, 2) + "\n");
    console.log("local.settings.json: set " + added.join(", ") + ".");
  }'
port="${PORT:-$(node -p 'const s = require("./local.settings.json"); (s.Values && s.Values.LocalHost__Port) || (s.Host && s.Host.LocalHttpPort) || 7071')}"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "Port $port is already in use (is ./run.sh already running?). Stop that, or pick another port: PORT=7072 ./run.sh" >&2
  exit 1
fi

started=no
cleanup() { if [ "$started" = yes ]; then scripts/azurite.sh stop; fi; }
trap cleanup EXIT
if [ "$(scripts/azurite.sh status)" != "running" ]; then
  started=yes
  scripts/azurite.sh start
fi

echo "Building the local host ..."
mkdir -p .tools
# The style and naming rules are checked by the test build (./test.sh, CI); running needs only the program.
dotnet build src/Summit.LocalHost -c Debug --nologo -p:EnforceCodeStyleInBuild=false >.tools/build.log 2>&1 || { cat .tools/build.log; echo "The build failed (log: .tools/build.log)." >&2; exit 1; }

# The host runs in the background so that Ctrl+C (or a TERM) is passed on as a graceful stop, then Azurite stops.
dotnet src/Summit.LocalHost/bin/Debug/net10.0/Summit.LocalHost.dll --settings local.settings.json --port "$port" &
host=$!
trap 'kill -TERM "$host" 2>/dev/null || true' INT TERM
status=0
while kill -0 "$host" 2>/dev/null; do wait "$host" || status=$?; done
exit "$status"
