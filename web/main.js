// Starts the Workbench. The app imports the server's compiled imaging modules; when they are missing
// (Sightline not built) the import fails, and the page says why instead of staying blank.
const banner = document.getElementById('boot-error');

try {
  const { start } = await import('./app.js');
  await start();
} catch (error) {
  let reason = error instanceof Error ? error.message : String(error);
  try {
    const response = await fetch('/workbench/plan.js', { method: 'GET' });
    if (!response.ok) reason = (await response.json()).error?.message ?? reason;
  } catch {
    // keep the import error
  }
  banner.textContent = `The Workbench could not start: ${reason}`;
  banner.hidden = false;
}
