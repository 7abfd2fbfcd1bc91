#!/usr/bin/env sh
# After provisioning: grant the Graph permissions when asked to (it needs an admin), otherwise say how.
set -eu
if [ "${COHORTS_GRANT_GRAPH_PERMISSIONS:-false}" = "true" ]; then
  "$(dirname "$0")/grant-graph-permissions.sh" "$AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"
else
  echo "Microsoft Graph permissions are not granted yet. An admin runs:"
  echo "  infra/scripts/grant-graph-permissions.sh $AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"
  echo "(or sets COHORTS_GRANT_GRAPH_PERMISSIONS=true with 'azd env set' before 'azd provision')."
fi
