import type { MethodSpec } from '../model/ir.js';

/**
 * How the portal is reached and authenticated, in OpenAPI terms. Every method can be called
 * both ways (each method page has a "cURL (Webhook)" and a "cURL (OAuth)" example;
 * chat-bots-v2/index.md "Authorization"; settings/how-to-call-rest-api/authorization.md):
 *
 * - **Inbound webhook**: the user id and the webhook's secret code are part of the URL
 *   (`https://{portal}/rest/{userId}/{webhookSecret}/<method>`), and nothing else is sent. The
 *   first server carries them as variables; the operation's empty security requirement `{}` is
 *   that mode (OpenAPI has no scheme for a secret in the path, and `{}` is how it says "no
 *   credential beyond the URL").
 * - **OAuth 2.0 application**: the access token goes as the `auth` parameter
 *   (`https://{portal}/rest/<method>?auth=...` in the pages' OAuth examples, or `auth` in the
 *   JSON body in others; the generated client uses the body). An `apiKey` scheme named `auth`
 *   in the query says exactly that, so tools that call the API send it where the portal reads
 *   it. It is not an `oauth2` scheme: to tools that means an `Authorization: Bearer` header,
 *   which the pages never use. How the token is obtained (the portal's authorize page, then
 *   oauth.bitrix.info) is the scheme's description. Each operation lists the REST scope its
 *   page names as the requirement's role (OpenAPI 3.1 allows roles on any scheme), so a reader
 *   sees `accessToken: [imbot]`.
 *
 * Both alternatives apply to every operation, so each lists both; the scope is per method.
 */

/** The name of the OAuth access-token scheme in components/securitySchemes. */
export const ACCESS_TOKEN_SCHEME = 'accessToken';

/** The two base URLs: the webhook's (secret in the path) and the OAuth application's. */
export function servers(): Record<string, unknown>[] {
  const portal = { default: 'example.bitrix24.com', description: 'The portal host (its Bitrix24 address).' };
  return [
    {
      url: 'https://{portal}/rest/{userId}/{webhookSecret}',
      description:
        'Inbound webhook: the id of the user who created it and its secret code are part of the URL, and no other credential is sent ' +
        '(the empty security requirement `{}` of each operation). Calls run with that user\'s permissions and the scopes chosen in the webhook\'s settings. ' +
        'Keep the URL out of logs and client-side code.',
      variables: {
        portal,
        userId: { default: '1', description: 'Id of the user who created the webhook.' },
        webhookSecret: { default: 'webhook-secret', description: "The webhook's secret code (a placeholder here: use your own)." },
      },
    },
    {
      url: 'https://{portal}/rest',
      description: 'OAuth 2.0 application (local or from the Bitrix24 Market): send the access token as the `auth` parameter (the `accessToken` security scheme).',
      variables: { portal },
    },
  ];
}

/** components/securitySchemes. */
export function securitySchemes(): Record<string, unknown> {
  return {
    [ACCESS_TOKEN_SCHEME]: {
      type: 'apiKey',
      in: 'query',
      name: 'auth',
      description:
        'An OAuth 2.0 access token, sent as the `auth` parameter: in the query (`?auth=...`) or, equally, as `auth` in the JSON body. ' +
        'Use it with the OAuth server (`https://{portal}/rest`). The application gets the token with the authorization code flow: ' +
        'the user authorizes at `https://{portal}/oauth/authorize/?client_id=...`, and the application exchanges the returned `code` ' +
        'at `https://oauth.bitrix.info/oauth/token/` (`grant_type=authorization_code`, with `client_id` and `client_secret`). ' +
        'The token lives one hour; `grant_type=refresh_token` at the same address gives a new pair. ' +
        'Calls run on behalf of the authorized user, within the scopes of the application; ' +
        "an operation's requirement lists the scope it needs.",
    },
  };
}

/**
 * The security of one operation: an OAuth access token with the method's scope, or nothing
 * beyond the webhook URL (`{}`). Both modes call every method; the page of each says so.
 */
export function methodSecurity(m: MethodSpec): Record<string, string[]>[] {
  return [{ [ACCESS_TOKEN_SCHEME]: [m.scope] }, {}];
}

/**
 * Events are posted by the portal to the bot's handler: no HTTP credential; the handler checks
 * `auth.application_token` in the body (the webhook's own description and 401 response say so).
 */
export function eventSecurity(): Record<string, string[]>[] {
  return [];
}
