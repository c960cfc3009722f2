#!/usr/bin/env bash
# Registers the app in Entra ID once per environment (docs/deploy.md, "Sign-in"): one registration for the API and the
# console (a single-page app with PKCE), with the app roles of infra/entra/app-registration.json. Needs `az login` as
# someone who may create app registrations, and the function app's host name (azd env get-values: SERVICE_API_URI or the
# portal). Prints the client id to give to azd: azd env set SUMMIT_ENTRA_CLIENT_ID <id>; azd provision.
set -euo pipefail
cd "$(dirname "$0")/.."
host="${1:?usage: scripts/entra-app.sh <function-app-host-name, e.g. func-summit-abc123.azurewebsites.net>}"
name="${SUMMIT_ENTRA_APP_NAME:-Summit follow-ups}"

app_id=$(az ad app create --display-name "$name" --sign-in-audience AzureADMyOrg \
  --enable-access-token-issuance false --enable-id-token-issuance false --query appId -o tsv)
object_id=$(az ad app show --id "$app_id" --query id -o tsv)
# Roles, the access_as_user scope, v2 tokens, the console's redirect URI and the API's identifier, in one PATCH.
body=$(python3 - "$app_id" "$host" <<'PY'
import json, sys
app_id, host = sys.argv[1], sys.argv[2]
body = json.load(open("infra/entra/app-registration.json"))
body["identifierUris"] = [f"api://{app_id}"]
body["spa"] = {"redirectUris": [f"https://{host}/console/"]}
print(json.dumps(body))
PY
)
az rest --method PATCH --uri "https://graph.microsoft.com/v1.0/applications/${object_id}" --headers Content-Type=application/json --body "$body"
az ad sp create --id "$app_id" >/dev/null
echo "Registered '$name': client id $app_id"
echo "Next: azd env set SUMMIT_ENTRA_CLIENT_ID $app_id && azd provision"
echo "Then assign people their roles: Entra ID > Enterprise applications > $name > Users and groups (docs/deploy.md)."
