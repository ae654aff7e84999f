import { startBlog } from "../../examples/hono/server.ts";
import { describeBlogScenario } from "./blog-scenario.ts";

describeBlogScenario("hono", startBlog);
