/**
 * What the terminal shows people (not log lines): a pairing QR small enough for a terminal
 * (qrcode-terminal `small` mode, half-block characters), and why a session cannot start with what to do.
 * Written to stderr so stdout stays pure JSON log lines.
 */
import qrcode from 'qrcode-terminal';

/**
 * @param urlCode - the text encoded in the QR (WPPConnect `catchQR`'s 4th argument).
 * @param attempt - 1-based attempt counter, shown above the code.
 * @param write - sink for the rendered text (default: stderr).
 * @param session - the session (number) being paired, named above the code when given.
 */
export function printQr(
  urlCode: string,
  attempt: number,
  write: (text: string) => void = (t) => process.stderr.write(t),
  session?: string,
): void {
  const which = session ? `session "${session}", ` : '';
  qrcode.generate(urlCode, { small: true }, (rendered: string) => {
    write(`\nScan with WhatsApp > Linked devices (${which}attempt ${attempt}):\n${rendered}\n`);
  });
}

/**
 * Shows why a session cannot start and what to do, in words (session-manager.ts writes the text).
 * @param text - one or more lines, ending with a newline.
 * @param write - sink for the text (default: stderr).
 */
export function printProblem(
  text: string,
  write: (text: string) => void = (t) => process.stderr.write(t),
): void {
  write(`\n${text}\n`);
}
