CREATE TYPE "public"."run_phase" AS ENUM('PUSHING', 'AWAITING_IMPORTS', 'HANDLING_LEAVERS');--> statement-breakpoint
ALTER TABLE "export_runs" ADD COLUMN "phase" "run_phase";