import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/**
 * The Twilio SDK's own RequestClient, aimed at a local server: the SDK builds
 * the real request (https://api.twilio.com/2010-04-01/…, form body, Basic
 * auth) and this client only swaps the scheme, host and port before sending
 * it with the SDK's own axios instance. Pass it as the `httpClient` option of
 * `twilio(accountSid, authToken, { httpClient })`.
 */
export class LoopbackTwilioRequestClient extends twilio.RequestClient {
  /** The URIs the SDK asked for, before rewriting. */
  readonly requestedUris: string[] = [];

  constructor(private readonly baseUrl: string) {
    super({ keepAlive: false });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    this.requestedUris.push(opts.uri);
    const original = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.baseUrl}${original.pathname}${original.search}` });
  }
}
