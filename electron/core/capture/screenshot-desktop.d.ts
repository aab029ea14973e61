// Types for the screenshot-desktop package (it ships none): only what screens.ts calls.
declare module 'screenshot-desktop' {
  interface Display {
    id: string | number;
    name?: string;
  }
  interface Shot {
    (opts?: { screen?: string | number; format?: 'png' | 'jpg' | 'bmp' }): Promise<Buffer>;
    listDisplays(): Promise<Display[]>;
  }
  const shot: Shot;
  export default shot;
}
