# Code-signing hook of the Windows bundles: tauri.windows.conf.json names this script as
# bundle.windows.signCommand, so Tauri calls it once per file it would sign (postdesk.exe, the
# NSIS installer and uninstaller, the MSI) with the file's path as the only argument.
#
# The certificate never lives in the repository or in a config file. The release workflow
# imports the base64 PFX from its secrets into Cert:\CurrentUser\My and exports its thumbprint
# as POSTDESK_WINDOWS_CERT_THUMBPRINT. Without that variable (a local build, a fork without the
# secrets) this script leaves the file unsigned and succeeds, so the build still works.
#
# Digest and timestamp server come from tauri.windows.conf.json (digestAlgorithm,
# timestampUrl, tsp): Tauri does not pass them to a custom sign command, and one place is
# enough.
#
# The other Windows choices of tauri.windows.conf.json (JSON has no comments):
# - webviewInstallMode downloadBootstrapper (silent): Windows 11 and current Windows 10 already
#   ship the WebView2 runtime, so the installers stay small and the bootstrapper runs only
#   where it is missing. embedBootstrapper would add ~1.8 MB to every installer for the same
#   result (it downloads the runtime too); its one advantage, Windows 7, is gone (WebView2 no
#   longer supports it).
# - NSIS installMode currentUser: no administrator rights, installed under %LOCALAPPDATA%, and
#   the updater can replace it without a UAC prompt. The MSI (WiX) is the per-machine choice
#   for administrators; its upgradeCode is pinned to the value Tauri derives from the product
#   name today (`tauri inspect wix-upgrade-code`), so a later rename cannot orphan installs.
# Windows PowerShell 5.1 compatible (no pwsh needed on a developer machine).
param([Parameter(Mandatory = $true)][string]$File)

$ErrorActionPreference = 'Stop'
$thumbprint = $env:POSTDESK_WINDOWS_CERT_THUMBPRINT
if ([string]::IsNullOrWhiteSpace($thumbprint)) {
    Write-Output "sign.ps1: no certificate configured (POSTDESK_WINDOWS_CERT_THUMBPRINT unset): $File stays unsigned"
    exit 0
}

$conf = Get-Content -Raw -Path (Join-Path $PSScriptRoot '..\..\tauri.windows.conf.json') | ConvertFrom-Json
$digest = $conf.bundle.windows.digestAlgorithm
# tsp: an RFC 3161 server (/tr, /td) rather than a legacy Authenticode one (/t).
$stamp = if ($conf.bundle.windows.tsp) { @('/tr', $conf.bundle.windows.timestampUrl, '/td', $digest) } else { @('/t', $conf.bundle.windows.timestampUrl) }

# signtool: TAURI_WINDOWS_SIGNTOOL_PATH (the variable Tauri itself honours), else the newest
# Windows 10/11 SDK for this machine's architecture.
$signtool = $env:TAURI_WINDOWS_SIGNTOOL_PATH
if (-not $signtool) {
    $arch = @{ 'AMD64' = 'x64'; 'ARM64' = 'arm64'; 'x86' = 'x86' }[$env:PROCESSOR_ARCHITECTURE]
    $kits = Join-Path ${env:ProgramFiles(x86)} 'Windows Kits\10\bin'
    $signtool = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq $arch } |
        Sort-Object { try { [version]$_.Directory.Parent.Name } catch { [version]'0.0' } } |
        Select-Object -Last 1 -ExpandProperty FullName
}
if (-not $signtool) { throw "sign.ps1: signtool.exe not found (install the Windows SDK or set TAURI_WINDOWS_SIGNTOOL_PATH)" }

# Timestamp servers fail now and then: three tries, then give up (the release must not ship a
# signature that expires with the certificate).
for ($try = 1; $try -le 3; $try++) {
    & $signtool sign /sha1 $thumbprint /fd $digest @stamp /d 'Postdesk' $File
    if ($LASTEXITCODE -eq 0) { break }
    if ($try -eq 3) { throw "sign.ps1: signtool failed on $File (exit $LASTEXITCODE)" }
    Start-Sleep -Seconds (5 * $try)
}
& $signtool verify /pa /q $File
if ($LASTEXITCODE -ne 0) { throw "sign.ps1: the signature of $File does not verify" }
Write-Output "sign.ps1: signed $File"
