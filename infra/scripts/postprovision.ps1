# After provisioning: grant the Graph permissions when asked to (it needs an admin), otherwise say how.
$ErrorActionPreference = 'Stop'
if ($env:COHORTS_GRANT_GRAPH_PERMISSIONS -eq 'true') {
  & (Join-Path $PSScriptRoot 'grant-graph-permissions.ps1') -PrincipalId $env:AZURE_MANAGED_IDENTITY_PRINCIPAL_ID
} else {
  Write-Host "Microsoft Graph permissions are not granted yet. An admin runs:"
  Write-Host "  infra/scripts/grant-graph-permissions.ps1 -PrincipalId $($env:AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)"
}
