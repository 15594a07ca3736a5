/**
 * What to tell a person when Cloudflare Access stops a request (failure
 * mode B in docs/runbook.md), worded once for the proxy's answers, the
 * Infisical client's errors, `status` and the doctor.
 */
export const CLOUDFLARE_HINTS = {
  /** The Access gate refused the service token (its 403 page or a login redirect). */
  denied:
    'Cloudflare Access refused the service token (failure mode B): check that CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET are set in the proxy’s environment, current and for this Access application, then restart the proxy (docs/runbook.md §Failure mode B).',
  /** The operator's fix for a refused token, with where a fresh one lives (start's warning, check, status, the doctor). */
  refresh:
    'Refresh CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET in the proxy’s environment from the vault (/MooseQuest/cloudflare/) or the Cloudflare dashboard (current, for this Access application; the WAF skip rule active), then restart the proxy, which reads them only when it starts: vault-proxy stop, then vault-proxy start --detach (docs/runbook.md §Failure mode B).',
  /** The token is missing where a direct call needs it. */
  missing:
    'Export the Cloudflare Access service token CF_ACCESS_CLIENT_ID / CF_ACCESS_CLIENT_SECRET (docs/runbook.md §Session start; failure mode B).',
} as const;
