import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm run dev` proxies the server's routes to a running `labelhive start` (LABELHIVE_URL, default :8080).
const backend = process.env.LABELHIVE_URL ?? "http://127.0.0.1:8080";
const proxied = ["/api", "/data", "/user", "/health", "/openapi.json", "/docs"];

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    // The Python package serves the built app; see src/labelhive/routes/spa.py.
    outDir: "../src/labelhive/static",
    emptyOutDir: true,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: backend, changeOrigin: false }])),
  },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
