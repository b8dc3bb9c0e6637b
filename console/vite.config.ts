import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Served by the edge hosts at /app/ from build/static/app (cargo xtask copies dist there).
export default defineConfig({
  base: "/app/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  test: { environment: "node" },
});
