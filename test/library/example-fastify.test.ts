import { startBlog } from "../../examples/fastify/server.ts";
import { describeBlogScenario } from "./blog-scenario.ts";

describeBlogScenario("fastify", startBlog);
