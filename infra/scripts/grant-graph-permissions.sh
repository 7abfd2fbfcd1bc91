#!/usr/bin/env sh
# Grants the Microsoft Graph application permissions the connectors need (graph-permissions.txt) to the app's
# managed identity. Needs a signed-in `az` account allowed to grant app roles (Privileged Role Administrator or
# Global Administrator). Idempotent: roles already granted are skipped.
#   usage: grant-graph-permissions.sh <managed-identity-principal-id>
set -eu
principal="${1:?usage: grant-graph-permissions.sh <managed-identity-principal-id>}"
here=$(dirname "$0")
graph=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv)
granted=$(az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" --query "value[].appRoleId" -o tsv)
while read -r permission; do
  [ -n "$permission" ] || continue
  role=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  if [ -z "$role" ]; then echo "Graph has no application permission $permission" >&2; exit 1; fi
  if printf '%s\n' "$granted" | grep -qx "$role"; then echo "already granted: $permission"; continue; fi
  az rest --method POST --url "https://graph.microsoft.com/v1.0/servicePrincipals/$principal/appRoleAssignments" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$principal\",\"resourceId\":\"$graph\",\"appRoleId\":\"$role\"}" >/dev/null
  echo "granted: $permission"
done < "$here/graph-permissions.txt"
