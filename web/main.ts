// Starts the Workbench. When a module of the page fails to load or start, the page says why instead of
// staying blank.
const banner = document.getElementById('boot-error');

try {
  const { start } = await import('./app.js');
  await start();
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  if (banner) {
    banner.textContent = `The Workbench could not start: ${reason}`;
    banner.hidden = false;
  }
}

export {};
