import assert from "node:assert/strict";
import { test } from "node:test";
import { lazyMethods } from "./lazy-methods.ts";

interface Greeter {
  greet(name: string): Promise<string>;
  count(): Promise<number>;
}

function counter() {
  let loads = 0;
  let calls = 0;
  const load = async (): Promise<Greeter> => {
    loads++;
    return {
      greet: async (name) => `hello ${name}`,
      count: async () => ++calls,
    };
  };
  return { load, loads: () => loads };
}

test("nothing is loaded until a method is called, and then only once", async () => {
  const source = counter();
  const greeter = lazyMethods<Greeter>({ load: source.load, methods: { greet: true, count: true } });
  assert.equal(source.loads(), 0);
  const [a, b] = await Promise.all([greeter.greet("ann"), greeter.greet("bob")]);
  assert.deepEqual([a, b], ["hello ann", "hello bob"]);
  assert.equal(await greeter.count(), 1);
  assert.equal(await greeter.count(), 2, "calls reach the same loaded object");
  assert.equal(source.loads(), 1);
});

test("a failed load rejects that call and the next call loads again", async () => {
  let attempts = 0;
  const greeter = lazyMethods<Greeter>({
    load: async () => {
      attempts++;
      if (attempts === 1) throw new Error("module not found");
      return { greet: async (name) => `hi ${name}`, count: async () => 0 };
    },
    methods: { greet: true, count: true },
  });
  await assert.rejects(greeter.greet("ann"), /module not found/);
  assert.equal(await greeter.greet("ann"), "hi ann");
  assert.equal(attempts, 2);
});

test("a method's own error reaches its caller", async () => {
  const greeter = lazyMethods<Greeter>({
    load: async () => ({
      greet: async () => {
        throw new TypeError("no name");
      },
      count: async () => 0,
    }),
    methods: { greet: true, count: true },
  });
  await assert.rejects(greeter.greet(""), TypeError);
  assert.equal(await greeter.count(), 0);
});
