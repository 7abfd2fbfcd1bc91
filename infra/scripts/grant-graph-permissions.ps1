# Grants the Microsoft Graph application permissions the connectors need (graph-permissions.txt) to the app's
# managed identity. Needs a signed-in `az` account allowed to grant app roles. Idempotent.
#   usage: ./grant-graph-permissions.ps1 -PrincipalId <managed-identity-principal-id>
param([Parameter(Mandatory = $true)][string]$PrincipalId)
$ErrorActionPreference = 'Stop'
$graphApp = '00000003-0000-0000-c000-000000000000'
$graph = az ad sp show --id $graphApp --query id -o tsv
$granted = az rest --method GET --url "https://graph.microsoft.com/v1.0/servicePrincipals/$PrincipalId/appRoleAssignments" --query "value[].appRoleId" -o tsv
foreach ($permission in Get-Content (Join-Path $PSScriptRoot 'graph-permissions.txt')) {
  if (-not $permission) { continue }
  $role = az ad sp show --id $graphApp --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv
  if (-not $role) { throw "Graph has no application permission $permission" }
  if ($granted -contains $role) { Write-Host "already granted: $permission"; continue }
  $body = @{ principalId = $PrincipalId; resourceId = $graph; appRoleId = $role } | ConvertTo-Json -Compress
  az rest --method POST --url "https://graph.microsoft.com/v1.0/servicePrincipals/$PrincipalId/appRoleAssignments" --headers "Content-Type=application/json" --body $body | Out-Null
  Write-Host "granted: $permission"
}
