import { startBlog } from "../../examples/express-blog/server.ts";
import { describeBlogScenario } from "./blog-scenario.ts";

describeBlogScenario("express-blog", startBlog);
