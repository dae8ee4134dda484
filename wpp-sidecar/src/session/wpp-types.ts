/**
 * The WPPConnect session shapes the sidecar reads beyond messages and acks (those are in
 * ../events/wpp-types.ts), kept loose on purpose.
 *
 * @see node_modules/@wppconnect/wa-js/dist/contact/functions/getPnLidEntry.d.ts (`PnLidEntryResult`)
 */

/** Result of `client.getPnLidEntry(id)`: every part optional (a lid lookup reads a local cache only). */
export interface PnLidEntry {
  lid?: { _serialized: string } | undefined;
  phoneNumber?: { _serialized: string } | undefined;
  contact?: { pushname?: string; name?: string } | undefined;
}
