'use strict';

/**
 * Starts `app` on PORT (default 3000) and logs its address. A busy port (or any other listen error)
 * prints one line saying what to do and exits with code 1, instead of an EADDRINUSE stack.
 */
function listen(app, name) {
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => console.log(`${name} listening on http://localhost:${server.address().port}`));
  server.once('error', err => {
    console.error(
      err.code === 'EADDRINUSE'
        ? `${name}: port ${port} is already in use. Set PORT to a free port, e.g. PORT=${port + 1} npm start`
        : `${name}: cannot listen on port ${port} (${err.code ?? err.message}). Set PORT to a free port, e.g. PORT=${port + 1} npm start`,
    );
    process.exit(1);
  });
  return server;
}

module.exports = { listen };
