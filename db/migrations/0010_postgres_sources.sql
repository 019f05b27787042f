CREATE TYPE "public"."source_sync_status" AS ENUM('RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "source_sync_rows" (
	"sync_id" uuid NOT NULL,
	"customer_id" text COLLATE "C" NOT NULL,
	"attributes" jsonb NOT NULL,
	CONSTRAINT "source_sync_rows_sync_id_customer_id_pk" PRIMARY KEY("sync_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "source_syncs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" uuid NOT NULL,
	"status" "source_sync_status" DEFAULT 'RUNNING' NOT NULL,
	"confirm_removals" boolean DEFAULT false NOT NULL,
	"read_count" integer DEFAULT 0 NOT NULL,
	"added_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"removed_count" integer DEFAULT 0 NOT NULL,
	"rejected_count" integer DEFAULT 0 NOT NULL,
	"rejects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cursor" text COLLATE "C",
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"database_url_ciphertext" text NOT NULL,
	"database_url_masked" text NOT NULL,
	"table_name" text,
	"query" text,
	"columns" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "profiles" ADD COLUMN "source_id" uuid;--> statement-breakpoint
ALTER TABLE "source_sync_rows" ADD CONSTRAINT "source_sync_rows_sync_id_source_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."source_syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_syncs" ADD CONSTRAINT "source_syncs_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sources" ADD CONSTRAINT "sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "source_syncs_source_idx" ON "source_syncs" USING btree ("source_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "source_syncs_one_running_idx" ON "source_syncs" USING btree ("source_id") WHERE "source_syncs"."status" = 'RUNNING';--> statement-breakpoint
CREATE INDEX "profiles_source_idx" ON "profiles" USING btree ("source_id","customer_id") WHERE "profiles"."source_id" is not null;