/** The package version; the build replaces it, and unbuilt sources get package.json's (boot/dev-version.ts). */
declare const __CM_VERSION__: string | undefined;
export const VERSION: string = typeof __CM_VERSION__ === 'string' ? __CM_VERSION__ : '0.0.0-dev';
