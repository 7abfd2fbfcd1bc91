# After the first deploy the app has its blobs_extension key: turn on the HR-import Event Grid subscription.
$ErrorActionPreference = 'Stop'
if ($env:COHORTS_ENABLE_HR_IMPORT_EVENTS -ne 'true') {
  azd env set COHORTS_ENABLE_HR_IMPORT_EVENTS true
  azd provision --no-prompt
}
