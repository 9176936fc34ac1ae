export const THEME_STORAGE_KEY = "fleetscope-theme";

/**
 * Runs before first paint (inline in <head>): the stored choice, else the OS preference. Without it a dark-mode
 * user would see a white flash on every full page load. Not in theme.tsx: a "use client" module's exports reach
 * server components as references, not values.
 */
export const THEME_BOOT_SCRIPT = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t?t==="dark":window.matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch(e){}})();`;
