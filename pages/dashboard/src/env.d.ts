/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the Pixel API for production builds, e.g. "https://api.pixel.example". Empty: same origin. */
  readonly VITE_PIXEL_API_ORIGIN?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
