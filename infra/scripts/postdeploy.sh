#!/usr/bin/env sh
# After the first deploy the app has its blobs_extension key, so the Event Grid subscription of the HR-import blob
# trigger can be created: turn it on and provision once more (later runs find it on and do nothing).
set -eu
if [ "${COHORTS_ENABLE_HR_IMPORT_EVENTS:-false}" != "true" ]; then
  azd env set COHORTS_ENABLE_HR_IMPORT_EVENTS true
  azd provision --no-prompt
fi
