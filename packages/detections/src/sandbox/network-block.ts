import Module from 'node:module';
import path from 'node:path';

class NetworkUnavailable {
  static Server = NetworkUnavailable;

  constructor() {
    throw new Error('network access is not available to detections');
  }
}

/**
 * Pyodide's socket layer in Node opens real connections through the `ws`
 * package: a detection's `socket.create_connection` reaches the host's network.
 * The detection host puts a refusing `ws` in its module cache before Pyodide
 * loads: a wall inside the other walls (no network namespace in `process`
 * mode, where Node's permission model is the one that refuses).
 */
export function blockPyodideNetwork(): void {
  const pyodideDir = path.dirname(require.resolve('pyodide'));
  const wsPath = require.resolve('ws', { paths: [pyodideDir] });
  const stub = new Module(wsPath);
  stub.filename = wsPath;
  stub.loaded = true;
  stub.exports = NetworkUnavailable;
  require.cache[wsPath] = stub;
}
