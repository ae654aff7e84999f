import { startBlog } from "../../examples/node-http/server.ts";
import { describeBlogScenario } from "./blog-scenario.ts";

describeBlogScenario("node-http", startBlog);
