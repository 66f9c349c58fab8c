// A module that stands for another and loads it on first use.
//
// `@pulumi/pulumi` loads its closure serializer eagerly (sdk/nodejs/runtime/index.js requires
// runtime/closure/codePaths.js, which requires @npmcli/arborist, and parseFunction.js, which requires typescript):
// about 0.55 s of the 0.87 s it takes to load in every jest test file. The mocks never serialize a closure, so the
// jest config maps those two modules here; a test that does use them (the component analyzer, the exports test)
// gets the real module on its first property access. Measured with `pnpm bench` (jest wall time).
"use strict";

/** @param {string} resolved the real module's absolute path (not matched by the moduleNameMapper again). */
module.exports = function lazyModule(resolved) {
  let real;
  const load = () => (real ??= require(resolved));
  return new Proxy(
    {},
    {
      // `__esModule` keeps TypeScript's and swc's `import * as` helpers from enumerating (and so loading) the module.
      get: (_, key) => (key === "__esModule" ? true : key === "default" ? load() : load()[key]),
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const d = Object.getOwnPropertyDescriptor(load(), key);
        return d && { ...d, configurable: true };
      },
    },
  );
};
