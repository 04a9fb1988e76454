-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Site" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultIssuerOfPatientID" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" UUID NOT NULL,
    "patientID" TEXT NOT NULL,
    "issuerOfPatientID" TEXT NOT NULL,
    "patientName" TEXT,
    "patientNameSearch" TEXT,
    "patientBirthDate" TEXT,
    "patientSex" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Study" (
    "id" UUID NOT NULL,
    "studyInstanceUID" TEXT NOT NULL,
    "patientId" UUID NOT NULL,
    "siteId" UUID,
    "studyDate" TEXT,
    "studyTime" TEXT,
    "accessionNumber" TEXT,
    "studyID" TEXT,
    "studyDescription" TEXT,
    "referringPhysicianName" TEXT,
    "modalitiesInStudy" TEXT[],
    "numberOfSeries" INTEGER NOT NULL DEFAULT 0,
    "numberOfInstances" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Series" (
    "id" UUID NOT NULL,
    "seriesInstanceUID" TEXT NOT NULL,
    "studyId" UUID NOT NULL,
    "modality" TEXT,
    "seriesNumber" INTEGER,
    "seriesDescription" TEXT,
    "seriesDate" TEXT,
    "laterality" TEXT,
    "numberOfInstances" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Instance" (
    "id" UUID NOT NULL,
    "sopInstanceUID" TEXT NOT NULL,
    "sopClassUID" TEXT NOT NULL,
    "sopClassKnown" BOOLEAN NOT NULL,
    "seriesId" UUID NOT NULL,
    "studyId" UUID NOT NULL,
    "instanceNumber" INTEGER,
    "imageLaterality" TEXT,
    "transferSyntaxUID" TEXT NOT NULL,
    "specificCharacterSet" TEXT,
    "rows" INTEGER,
    "columns" INTEGER,
    "numberOfFrames" INTEGER,
    "manufacturer" TEXT,
    "manufacturerModelName" TEXT,
    "contentDate" TEXT,
    "contentTime" TEXT,
    "sizeBytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "warnings" TEXT[],
    "pixelInfo" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Instance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstanceMetadata" (
    "instanceId" UUID NOT NULL,
    "json" JSONB NOT NULL,

    CONSTRAINT "InstanceMetadata_pkey" PRIMARY KEY ("instanceId")
);

-- CreateTable
CREATE TABLE "InstanceFrames" (
    "instanceId" UUID NOT NULL,
    "ranges" JSONB NOT NULL,
    "bulk" JSONB NOT NULL,

    CONSTRAINT "InstanceFrames_pkey" PRIMARY KEY ("instanceId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Site_code_key" ON "Site"("code");

-- CreateIndex
CREATE INDEX "Patient_patientNameSearch_idx" ON "Patient"("patientNameSearch");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_patientID_issuerOfPatientID_key" ON "Patient"("patientID", "issuerOfPatientID");

-- CreateIndex
CREATE UNIQUE INDEX "Study_studyInstanceUID_key" ON "Study"("studyInstanceUID");

-- CreateIndex
CREATE INDEX "Study_studyDate_idx" ON "Study"("studyDate");

-- CreateIndex
CREATE INDEX "Study_accessionNumber_idx" ON "Study"("accessionNumber");

-- CreateIndex
CREATE INDEX "Study_createdAt_idx" ON "Study"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Series_seriesInstanceUID_key" ON "Series"("seriesInstanceUID");

-- CreateIndex
CREATE INDEX "Series_studyId_idx" ON "Series"("studyId");

-- CreateIndex
CREATE INDEX "Series_modality_idx" ON "Series"("modality");

-- CreateIndex
CREATE UNIQUE INDEX "Instance_sopInstanceUID_key" ON "Instance"("sopInstanceUID");

-- CreateIndex
CREATE INDEX "Instance_seriesId_idx" ON "Instance"("seriesId");

-- CreateIndex
CREATE INDEX "Instance_studyId_idx" ON "Instance"("studyId");

-- CreateIndex
CREATE INDEX "Instance_imageLaterality_idx" ON "Instance"("imageLaterality");

-- AddForeignKey
ALTER TABLE "Site" ADD CONSTRAINT "Site_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Study" ADD CONSTRAINT "Study_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Series" ADD CONSTRAINT "Series_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Instance" ADD CONSTRAINT "Instance_studyId_fkey" FOREIGN KEY ("studyId") REFERENCES "Study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceMetadata" ADD CONSTRAINT "InstanceMetadata_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstanceFrames" ADD CONSTRAINT "InstanceFrames_instanceId_fkey" FOREIGN KEY ("instanceId") REFERENCES "Instance"("id") ON DELETE CASCADE ON UPDATE CASCADE;
