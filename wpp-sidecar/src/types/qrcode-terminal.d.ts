/** Minimal typing for qrcode-terminal 0.12 (no published types). */
declare module 'qrcode-terminal' {
  interface Options {
    small?: boolean;
  }
  const qrcode: {
    generate(text: string, options?: Options, callback?: (rendered: string) => void): void;
    setErrorLevel(level: 'L' | 'M' | 'Q' | 'H'): void;
  };
  export default qrcode;
}
