FROM mcr.microsoft.com/dotnet/sdk:8.0
ARG NUGET_PASSWORD
RUN dotnet nuget add source https://nuget.pkg.github.com/acme/index.json -n github -u acme -p "$NUGET_PASSWORD" --store-password-in-clear-text
COPY . .
RUN dotnet restore
